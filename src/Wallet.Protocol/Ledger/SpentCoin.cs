namespace Wallet.Protocol.Ledger;

/// <summary>A coin being recorded spent: its id, its keyset and the keyset's denomination.</summary>
public sealed record SpentCoin
{
    /// <summary>Creates the record.</summary>
    /// <param name="coin">The coin.</param>
    /// <param name="keyset">The keyset that signed it.</param>
    /// <param name="value">Its value, more than zero.</param>
    /// <exception cref="ArgumentNullException"><paramref name="coin"/> or <paramref name="keyset"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is zero.</exception>
    public SpentCoin(CoinId coin, KeysetId keyset, Amount value)
    {
        ArgumentNullException.ThrowIfNull(coin);
        ArgumentNullException.ThrowIfNull(keyset);
        if (value.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A coin has a positive value.");
        }

        (Coin, Keyset, Value) = (coin, keyset, value);
    }

    /// <summary>The coin.</summary>
    public CoinId Coin { get; }

    /// <summary>The keyset that signed it.</summary>
    public KeysetId Keyset { get; }

    /// <summary>Its value.</summary>
    public Amount Value { get; }
}
