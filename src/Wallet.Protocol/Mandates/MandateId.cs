namespace Wallet.Protocol.Mandates;

/// <summary>Identifies one dues mandate: 32 random bytes the union draws when it issues it (<see cref="DuesMandate.Id"/>).</summary>
/// <remarks>
/// Known to the union and the member's wallet only: it never reaches the scheme, whose deposits carry ordinary payment
/// requests (docs/PROTOCOL.md 5.19). Exactly 32 bytes; compared by value.
/// </remarks>
public sealed class MandateId : FixedIdentifier<MandateId>
{
    /// <summary>Creates the identifier from its bytes (copied).</summary>
    /// <param name="bytes">Exactly <see cref="FixedIdentifier{TSelf}.Length"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public MandateId(ReadOnlySpan<byte> bytes)
        : base(bytes, nameof(bytes))
    {
    }

    /// <summary>Draws a fresh identifier from the OS CSPRNG.</summary>
    /// <returns>The identifier.</returns>
    public static MandateId New() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>Parses the lower- or upper-case hexadecimal form produced by <see cref="FixedIdentifier{TSelf}.ToString"/>.</summary>
    /// <param name="hex">64 hexadecimal digits.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hex"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="hex"/> is not 64 hexadecimal digits.</exception>
    public static MandateId Parse(string hex) => new(FixedId.ParseHex(hex, nameof(hex)));
}
