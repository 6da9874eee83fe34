namespace Wallet.Protocol.Refunds;

/// <summary>Identifies one provider refund: 32 random bytes the provider chooses when it signs the refund.</summary>
/// <remarks>docs/PROTOCOL.md 5.17. A refund is claimed at most once; the scheme keys that rule by this id. Not secret.</remarks>
public sealed class RefundId : FixedIdentifier<RefundId>
{
    /// <summary>Creates the identifier from its bytes (copied).</summary>
    /// <param name="bytes">Exactly <see cref="FixedIdentifier{TSelf}.Length"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public RefundId(ReadOnlySpan<byte> bytes)
        : base(bytes, nameof(bytes))
    {
    }

    /// <summary>A fresh identifier from the operating system's CSPRNG.</summary>
    /// <returns>The identifier.</returns>
    public static RefundId NewId() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>Parses the hexadecimal form produced by <see cref="FixedIdentifier{TSelf}.ToString"/>.</summary>
    /// <param name="hex">64 hexadecimal digits.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hex"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="hex"/> is not 64 hexadecimal digits.</exception>
    public static RefundId Parse(string hex) => new(FixedId.ParseHex(hex, nameof(hex)));
}
