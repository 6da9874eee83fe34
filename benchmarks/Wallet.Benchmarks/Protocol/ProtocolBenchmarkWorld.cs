using Wallet.Benchmarks.BlindRsa;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Benchmarks.Protocol;

/// <summary>A scheme with one 2048-bit general keyset, one provider and one funded wallet, on in-memory stores.</summary>
public sealed class ProtocolBenchmarkWorld : IDisposable
{
    private readonly List<IDisposable> _owned = [];
    private int _nextKey;

    public ProtocolBenchmarkWorld()
    {
        var now = TimeProvider.System.GetUtcNow();
        SchemeKey = Own(Ed25519SigningKey.Generate());
        AccreditationKey = Own(Ed25519SigningKey.Generate());
        RsaKey = Own(BlindRsaPrivateKey.ImportPkcs8(BlindRsaFixture.Pkcs8(2048)));
        Ledger = new SchemeLedger(new InMemoryLedgerStore(), TimeProvider.System);
        Scheme = new BenefitScheme(SchemeKey, AccreditationKey.PublicKey, Ledger, new InMemorySchemeStore(), new InMemoryMerkleLogStore(), TimeProvider.System);
        Keyset = new KeysetDescriptor(1, Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, now.AddDays(-1), now.AddDays(30), now.AddDays(60), now.AddDays(90), BlindRsaScheme.Rsabssa, RsaKey.PublicKey.ExportSubjectPublicKeyInfo());
        Run(Scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{Keyset.Id}"), KeysetParameters.Of(Keyset), RsaKey));
        ProviderKey = Own(Ed25519SigningKey.Generate());
        var record = new ProviderRecord(new AccountId("union"), "Union", ["union"], ProviderKey.PublicKey, now.AddDays(-1), now.AddDays(365));
        Registry = AccreditationRegistry.Sign(1, now.AddDays(-1), [record], AccreditationKey);
        Run(Scheme.PublishRegistryAsync(Registry));
        Provider = Own(new AccreditedProvider(record, ProviderKey, Scheme.PublicKey, TimeProvider.System));
        Seed = Own(WalletSeed.Generate());
        AccountKey = Own(Ed25519SigningKey.Generate());
        Run(Scheme.RegisterAccountAsync(Account, AccountKey.PublicKey));
        Run(Scheme.ContributeAsync(new IdempotencyKey("fund"), ContributionSource.Levy, Account, Amount.FromMinorUnits(1_000_000_000)));
        Wallet = NewWallet();
    }

    public AccountId Account { get; } = new("worker");

    public Ed25519SigningKey SchemeKey { get; }

    public Ed25519SigningKey AccreditationKey { get; }

    public Ed25519SigningKey ProviderKey { get; }

    public Ed25519SigningKey AccountKey { get; }

    public BlindRsaPrivateKey RsaKey { get; }

    public WalletSeed Seed { get; }

    public SchemeLedger Ledger { get; }

    public BenefitScheme Scheme { get; }

    public KeysetDescriptor Keyset { get; }

    public AccreditationRegistry Registry { get; }

    public AccreditedProvider Provider { get; }

    public WorkerWallet Wallet { get; }

    public WorkerWallet NewWallet()
    {
        var wallet = Own(new WorkerWallet(Seed, Account, AccountKey, Scheme.PublicKey, AccreditationKey.PublicKey, TimeProvider.System));
        var head = Run(Scheme.GetTreeHeadAsync());
        wallet.ObserveTreeHead(head, null);
        foreach (var keyset in Run(Scheme.ListKeysetsAsync()))
        {
            wallet.TrustKeyset(keyset.Announcement, Run(Scheme.GetInclusionProofAsync(keyset.LogIndex, head.TreeSize)));
        }

        return wallet;
    }

    public WithdrawalRequest PrepareWithdrawal(int coins) =>
        Wallet.PrepareWithdrawal(new IdempotencyKey($"w{Interlocked.Increment(ref _nextKey)}"), [.. Enumerable.Repeat(Keyset.Id, coins)]);

    /// <summary>Spends of <paramref name="coins"/> (each worth 100) against fresh requests of <paramref name="perRequest"/> coins.</summary>
    public List<(PaymentRequest Request, List<CoinSpend> Spends)> Payments(IReadOnlyList<WalletCoin> coins, int perRequest)
    {
        var payments = new List<(PaymentRequest, List<CoinSpend>)>();
        foreach (var chunk in coins.Chunk(perRequest))
        {
            var request = Run(Provider.CreatePaymentRequestAsync(Amount.FromMinorUnits(100L * chunk.Length), "dues", TimeSpan.FromHours(1)));
            payments.Add((request, [.. chunk.Select(c =>
            {
                using var secrets = Seed.DeriveCoin(c.Coin.Keyset.Bytes, c.Counter);
                return CoinSpend.Sign(c.Coin, request, secrets.SigningKey);
            })]));
        }

        return payments;
    }

    public List<LogEntry> LogEntries()
    {
        var entries = new List<LogEntry>();
        for (ulong i = 0; Run(Scheme.GetLogEntryAsync(i)) is { } entry; i++)
        {
            entries.Add(entry);
        }

        return entries;
    }

    public void Dispose()
    {
        foreach (var d in Enumerable.Reverse(_owned))
        {
            d.Dispose();
        }
    }

    private static T Run<T>(Task<T> task) => task.GetAwaiter().GetResult();

    private static void Run(Task task) => task.GetAwaiter().GetResult();

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }
}
