namespace Wallet.Storage.Testing;

/// <summary>Deterministic identifiers for ledger tests.</summary>
internal static class LedgerFixtures
{
    public static KeysetId Keyset(int n) => new(SHA256.HashData(Encoding.ASCII.GetBytes($"keyset-{n}")));

    public static CoinId Coin(long n) => new(SHA256.HashData(Encoding.ASCII.GetBytes($"coin-{n}")));

    public static AccountId Worker(int n) => new($"worker-{n}");

    public static AccountId Provider(int n) => new($"provider-{n}");

    public static IdempotencyKey Key(string text) => new(text);

    public static Amount Pence(long value) => Amount.FromMinorUnits(value);

    public static SpentCoin Spent(long coin, int keyset, long value) => new(Coin(coin), Keyset(keyset), Pence(value));

    public static KeysetAmount Issue(int keyset, long value) => new(Keyset(keyset), Pence(value));
}
