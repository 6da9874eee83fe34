namespace Wallet.Protocol.Tests.Vectors;

/// <summary>
/// One PB/1 object rebuilt from a vector's inputs: its encoding, the hash its type defines, and the encoding of what
/// decoding those bytes gives back (which must be the same bytes).
/// </summary>
/// <param name="Value">The object, kept so later vectors can refer to it by name.</param>
/// <param name="Encoded">The canonical encoding.</param>
/// <param name="HashKind">Which hash <paramref name="Hash"/> is (see Vectors/README.md).</param>
/// <param name="Hash">The hash the type defines.</param>
/// <param name="Reencoded">Decode(<paramref name="Encoded"/>), encoded again.</param>
/// <param name="Extra">Further named values some types define (a swap request's body hash).</param>
internal sealed record Pb1Built(object Value, byte[] Encoded, string HashKind, byte[] Hash, byte[] Reencoded, IReadOnlyDictionary<string, byte[]> Extra);
