namespace Wallet.Protocol;

/// <summary>Identifies a coin by its 32-byte Ed25519 public key, the value a provider deposits and the ledger records as spent (DESIGN.md section 3 "Coins").</summary>
/// <remarks>Exactly 32 bytes; compared by value. Not secret, so equality need not be constant-time.</remarks>
public sealed class CoinId : FixedIdentifier<CoinId>
{
    /// <summary>Creates the identifier from its bytes (copied).</summary>
    /// <param name="bytes">Exactly <see cref="FixedIdentifier{TSelf}.Length"/> bytes.</param>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public CoinId(ReadOnlySpan<byte> bytes)
        : base(bytes, nameof(bytes))
    {
    }

    /// <summary>Parses the lower- or upper-case hexadecimal form produced by <see cref="FixedIdentifier{TSelf}.ToString"/>.</summary>
    /// <param name="hex">64 hexadecimal digits.</param>
    /// <returns>The identifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="hex"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="hex"/> is not 64 hexadecimal digits.</exception>
    public static CoinId Parse(string hex) => new(FixedId.ParseHex(hex, nameof(hex)));
}
