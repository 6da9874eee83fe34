namespace Wallet.Protocol.Log;

/// <summary>
/// The public record of one deposit batch: the coins (with issuer signatures, so an auditor can check them) and
/// the time. It deliberately names no provider: the log must not map coins to providers (coercion resistance).
/// </summary>
public sealed class SpentCoinsRecord
{
    /// <summary>Most coins per record.</summary>
    public const int MaxCoins = 4096;

    /// <summary>Creates a record.</summary>
    /// <param name="spentAt">The deposit time.</param>
    /// <param name="coins">The coins; 1 to 4096.</param>
    /// <exception cref="ArgumentNullException"><paramref name="coins"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no coins or too many.</exception>
    public SpentCoinsRecord(DateTimeOffset spentAt, IReadOnlyList<Coin> coins)
    {
        ArgumentNullException.ThrowIfNull(coins);
        if (coins.Count is 0 or > MaxCoins)
        {
            throw new ArgumentException("A record has 1 to 4096 coins.", nameof(coins));
        }

        SpentAt = DateTimeOffset.FromUnixTimeSeconds(spentAt.ToUnixTimeSeconds());
        Coins = [.. coins];
    }

    /// <summary>The deposit time.</summary>
    public DateTimeOffset SpentAt { get; }

    /// <summary>The spent coins.</summary>
    public ImmutableArray<Coin> Coins { get; }

    internal void Write(ProtocolWriter w)
    {
        w.Time(SpentAt);
        w.List(Coins, static (c, w) => c.Write(w));
    }

    internal static SpentCoinsRecord Read(ref ProtocolReader r)
    {
        var at = r.Time("spent_at");
        return new SpentCoinsRecord(at, r.List("coins", MaxCoins, Coin.Read, "A spent-coins record has at least one coin."));
    }
}
