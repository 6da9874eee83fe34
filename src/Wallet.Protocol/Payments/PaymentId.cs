namespace Wallet.Protocol.Payments;

/// <summary>Identifies one payment: the SHA-256 hash of its signed <see cref="PaymentRequest"/> encoding (<see cref="PaymentRequest.Id"/>).</summary>
/// <remarks>
/// A payment is every coin spent against one payment request, so the request's hash names it for the provider, the
/// scheme's per-payment deposit outcomes and the wallet's in-flight record alike. Exactly 32 bytes; compared by value;
/// not secret. It is derived from bytes the provider and the scheme already see, so it adds no linking signal of its own.
/// </remarks>
public sealed class PaymentId : FixedIdentifier<PaymentId>
{
    /// <summary>Creates the identifier from its bytes (copied).</summary>
    /// <param name="bytes">Exactly <see cref="FixedIdentifier{TSelf}.Length"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public PaymentId(ReadOnlySpan<byte> bytes)
        : base(bytes, nameof(bytes))
    {
    }

    /// <summary>Parses the lower- or upper-case hexadecimal form produced by <see cref="FixedIdentifier{TSelf}.ToString"/>.</summary>
    /// <param name="hex">64 hexadecimal digits.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hex"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="hex"/> is not 64 hexadecimal digits.</exception>
    public static PaymentId Parse(string hex) => new(FixedId.ParseHex(hex, nameof(hex)));
}
