namespace Wallet.Protocol.Ledger;

/// <summary>Value issued as a new coin of a keyset (a withdrawal or swap output).</summary>
public sealed record KeysetAmount
{
    /// <summary>Creates the record.</summary>
    /// <param name="keyset">The keyset that will sign the coin.</param>
    /// <param name="value">The coin's value, more than zero.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is zero.</exception>
    public KeysetAmount(KeysetId keyset, Amount value)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        if (value.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A coin has a positive value.");
        }

        Keyset = keyset;
        Value = value;
    }

    /// <summary>The keyset.</summary>
    public KeysetId Keyset { get; }

    /// <summary>The value.</summary>
    public Amount Value { get; }
}
