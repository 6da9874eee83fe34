namespace Wallet.Protocol.Ledger;

/// <summary>The SHA-256 hash of a journal entry's canonical encoding, chaining it to the entry before (docs/ledger.md, "Entry encoding and hash chain").</summary>
/// <remarks>Exactly 32 bytes; compared by value. Not secret, so equality need not be constant-time.</remarks>
public sealed class EntryHash : FixedIdentifier<EntryHash>
{
    /// <summary>Creates the identifier from its bytes (copied).</summary>
    /// <param name="bytes">Exactly <see cref="FixedIdentifier{TSelf}.Length"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public EntryHash(ReadOnlySpan<byte> bytes)
        : base(bytes, nameof(bytes))
    {
    }

    /// <summary>The previous-hash of the first entry: 32 zero bytes.</summary>
    public static EntryHash Genesis { get; } = new(new byte[Length]);

    /// <summary>Parses the lower- or upper-case hexadecimal form produced by <see cref="FixedIdentifier{TSelf}.ToString"/>.</summary>
    /// <param name="hex">64 hexadecimal digits.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hex"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="hex"/> is not 64 hexadecimal digits.</exception>
    public static EntryHash Parse(string hex) => new(FixedId.ParseHex(hex, nameof(hex)));
}
