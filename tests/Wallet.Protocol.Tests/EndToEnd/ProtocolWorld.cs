using Microsoft.Extensions.Time.Testing;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>
/// Every PB/1 role wired in process over real stores: one scheme, an accreditation body, three accredited
/// providers (two unions, one trainer), and wallets created on demand. Wallets, providers and auditors reach the
/// scheme through <see cref="Client"/> (in process by default, or any transport); operator calls stay on
/// <see cref="Scheme"/>.
/// </summary>
public sealed class ProtocolWorld : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly List<IDisposable> _owned = [];
    private readonly Dictionary<AccountId, Ed25519SigningKey> _providerKeys = [];

    private ProtocolWorld(ILedgerStore ledgerStore, ISchemeStore schemeStore, IMerkleLogStore logStore, BlindRsaScheme mode, Func<ProtocolWorld, BenefitScheme>? scheme = null)
    {
        Mode = mode;
        SchemeKey = Own(Ed25519SigningKey.Generate());
        AccreditationKey = Own(Ed25519SigningKey.Generate());
        Ledger = new SchemeLedger(ledgerStore, Time);
        Store = schemeStore;
        Scheme = scheme?.Invoke(this) ?? new BenefitScheme(SchemeKey, AccreditationKey.PublicKey, Ledger, schemeStore, logStore, Time);
        Client = Scheme;
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public BlindRsaScheme Mode { get; }

    public Ed25519SigningKey SchemeKey { get; }

    public Ed25519SigningKey AccreditationKey { get; }

    public SchemeLedger Ledger { get; }

    public ISchemeStore Store { get; }

    public BenefitScheme Scheme { get; }

    /// <summary>The network surface every wallet-, provider- and auditor-facing call goes through.</summary>
    public ISchemeClient Client { get; private set; }

    public KeysetDescriptor General100 { get; private set; } = null!;

    public KeysetDescriptor General500 { get; private set; } = null!;

    public KeysetDescriptor Training100 { get; private set; } = null!;

    public AccreditationRegistry Registry { get; private set; } = null!;

    public AccreditedProvider UnionA { get; private set; } = null!;

    public AccreditedProvider UnionB { get; private set; } = null!;

    public AccreditedProvider Trainer { get; private set; } = null!;

    public IReadOnlyList<KeysetDescriptor> AllKeysets => [General100, General500, Training100];

    // connect builds the transport to the scheme once it exists (an HTTP server and client, say; anything to dispose
    // goes through Own); null keeps the scheme itself, in process.
    // scheme builds the scheme from the world's keys, ledger and clock (one node of several, say); null builds the default.
    public static async Task<ProtocolWorld> CreateAsync(ILedgerStore ledgerStore, ISchemeStore schemeStore, IMerkleLogStore logStore, BlindRsaScheme mode = BlindRsaScheme.Rsabssa, Func<ProtocolWorld, Task<ISchemeClient>>? connect = null, Func<ProtocolWorld, BenefitScheme>? scheme = null)
    {
        var world = new ProtocolWorld(ledgerStore, schemeStore, logStore, mode, scheme);
        if (connect is not null)
        {
            world.Client = await connect(world);
        }

        await world.InitialiseAsync();
        return world;
    }

    public KeysetDescriptor Descriptor(uint epoch, long denomination, string fund) =>
        Descriptor(epoch, denomination, fund, Mode == BlindRsaScheme.Rsabssa ? ProtocolKeys.Rsa2048 : ProtocolKeys.PartiallyBlind2048);

    public KeysetDescriptor Descriptor(uint epoch, long denomination, string fund, Crypto.BlindRsa.BlindRsaPrivateKey key) =>
        new(epoch, Amount.FromMinorUnits(denomination), fund, Start, Start.AddDays(30), Start.AddDays(60), Start.AddDays(90), Mode, key.PublicKey.ExportSubjectPublicKeyInfo());

    public async Task<(WorkerWallet Wallet, WalletSeed Seed)> NewWalletAsync(string account, long contribution, WalletSeed? seed = null)
    {
        seed ??= Own(WalletSeed.Generate());
        var accountKey = Own(Ed25519SigningKey.Generate());
        var id = new AccountId(account);
        await Scheme.RegisterAccountAsync(id, accountKey.PublicKey);
        if (contribution > 0)
        {
            var credited = await Scheme.ContributeAsync(new IdempotencyKey($"contrib-{account}"), ContributionSource.Employer, id, Amount.FromMinorUnits(contribution));
            Assert.True(credited.Succeeded);
        }

        var wallet = Own(new WorkerWallet(seed, id, accountKey, Scheme.PublicKey, AccreditationKey.PublicKey, Time));
        await SyncAsync(wallet);
        return (wallet, seed);
    }

    /// <summary>Brings a wallet to the current tree head and trusts every announced keyset found in the log.</summary>
    public async Task SyncAsync(WorkerWallet wallet)
    {
        var head = await Client.GetTreeHeadAsync();
        var previous = wallet.TrustedTreeHead;
        var proof = previous is null || previous.TreeSize == head.TreeSize ? null : await Client.GetConsistencyProofAsync(previous.TreeSize, head.TreeSize);
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveTreeHead(head, proof));
        foreach (var keyset in await Client.ListKeysetsAsync())
        {
            var inclusion = await Client.GetInclusionProofAsync(keyset.LogIndex, head.TreeSize);
            Assert.True(wallet.TrustKeyset(keyset.Announcement, inclusion));
        }
    }

    /// <summary>A new wallet with enough contribution for <paramref name="coins"/>, already withdrawn.</summary>
    public async Task<WorkerWallet> FundedWalletAsync(string account, params KeysetDescriptor[] coins)
    {
        // Each fund's coins are paid from that fund's sub-balance (docs/PROTOCOL.md 5.22): general from the employer,
        // any other fund from the levy credited to it.
        var (wallet, _) = await NewWalletAsync(account, coins.Where(c => c.Fund == KeysetDescriptor.GeneralFund).Sum(c => c.Denomination.MinorUnits));

        await WithdrawAsync(wallet, $"{account}-withdrawal", coins);
        return wallet;
    }

    private int _fundCredits;

    /// <summary>
    /// Credits, from the levy, each restricted fund the coins need (docs/PROTOCOL.md 5.22): a test's contribution is
    /// general money, and restricted coins are paid only from their own fund.
    /// </summary>
    public async Task CreditRestrictedAsync(string account, IEnumerable<KeysetDescriptor> coins)
    {
        foreach (var fund in coins.Where(c => c.Fund != KeysetDescriptor.GeneralFund).GroupBy(c => c.Fund))
        {
            await CreditFundAsync(account, fund.Key, fund.Sum(c => c.Denomination.MinorUnits));
        }
    }

    /// <summary>Credits a worker's sub-balance in a restricted fund from the levy, as a funds table sending the levy there would.</summary>
    public async Task CreditFundAsync(string account, string fund, long amount)
    {
        var credited = await Ledger.ContributeAsync(new IdempotencyKey($"levy-{account}-{fund}-{Interlocked.Increment(ref _fundCredits)}"), ContributionSource.Levy, new AccountId(account), Amount.FromMinorUnits(amount), fund);
        Assert.True(credited.Succeeded);
    }

    public async Task<WithdrawalResponse> WithdrawAsync(WorkerWallet wallet, string key, params KeysetDescriptor[] coins)
    {
        await CreditRestrictedAsync(wallet.Account.Value, coins);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey(key), [.. coins.Select(c => c.Id)]);
        var result = await Client.WithdrawAsync(request);
        Assert.Equal(WithdrawalStatus.Issued, result.Status);
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, result.Response!));
        return result.Response!;
    }

    public async Task<(PaymentRequest Request, IReadOnlyList<CoinSpend> Spends)> PayAsync(WorkerWallet wallet, AccreditedProvider provider, long amount)
    {
        var request = await provider.CreatePaymentRequestAsync(Amount.FromMinorUnits(amount), "membership dues", TimeSpan.FromHours(1));
        var prepared = wallet.PreparePayment(request, Registry);
        Assert.Equal(PaymentPreparationStatus.Ready, prepared.Status);
        Assert.Equal(PaymentVerification.Accepted, await provider.VerifyPaymentAsync(request, prepared.Spends, AllKeysets));
        return (request, prepared.Spends);
    }

    public async Task<(DepositRequest Request, DepositResult Result)> DepositAsync(AccreditedProvider provider, string key)
    {
        var deposit = (await provider.CreateDepositAsync(new IdempotencyKey(key)))!;
        return (deposit, await Client.DepositAsync(deposit));
    }

    /// <summary>
    /// A wallet of 300 in three 100 coins, withdrawn under "w1", that paid <paramref name="provider"/>
    /// <paramref name="amount"/>; the provider deposited it under "d1" and the wallet accepted its spend receipt.
    /// What a refund starts from. <c>Withdrawn</c> is the three coins as withdrawn, the paid ones included.
    /// </summary>
    public async Task<(WorkerWallet Wallet, WalletSeed Seed, PaymentRequest Request, IReadOnlyList<WalletCoin> Withdrawn)> PaidAndSettledAsync(AccreditedProvider provider, long amount, string account = "worker-1")
    {
        var (wallet, seed) = await NewWalletAsync(account, 300);
        await WithdrawAsync(wallet, "w1", General100, General100, General100);
        var withdrawn = wallet.Coins.ToList();
        var (request, _) = await PayAsync(wallet, provider, amount);
        var (deposit, result) = await DepositAsync(provider, "d1");
        Assert.Equal(DepositStatus.Accepted, result.Status);
        var (_, receipt) = Assert.Single(await provider.CompleteDepositAsync(deposit, result));
        Assert.True(wallet.AcceptSpendReceipt(receipt, request, Registry));
        return (wallet, seed, request, withdrawn);
    }

    public Ed25519SigningKey ProviderKey(AccreditedProvider provider) => _providerKeys[provider.Record.Id];

    /// <summary>Signs spends directly with seed-derived coin keys: what a misbehaving wallet (or a thief with the seed) could do.</summary>
    public static IReadOnlyList<CoinSpend> ForceSpends(WalletSeed seed, IEnumerable<WalletCoin> coins, PaymentRequest request) =>
        [.. coins.Select(c =>
        {
            using var secrets = seed.DeriveCoin(c.Coin.Keyset.Bytes, c.Counter);
            return CoinSpend.Sign(c.Coin, request, secrets.SigningKey);
        })];

    public ProviderRecord Record(string id, string[] categories, Ed25519SigningKey key, int validDays = 365) =>
        new(new AccountId(id), id, categories, key.PublicKey, Start.AddDays(-1), Start.AddDays(validDays));

    public void Dispose()
    {
        foreach (var d in Enumerable.Reverse(_owned))
        {
            d.Dispose();
        }
    }

    public T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private async Task InitialiseAsync()
    {
        // Keysets may share an RSA key in tests: the coin message binds the keyset id, so a signature never crosses keysets.
        // Partially blind mode: one master key for the period, each keyset's key derived from its descriptor.
        var key = Mode == BlindRsaScheme.Rsabssa ? ProtocolKeys.Rsa2048 : ProtocolKeys.PartiallyBlind2048;
        var key500 = Mode == BlindRsaScheme.Rsabssa ? ProtocolKeys.Rsa3072 : key;
        General100 = Descriptor(1, 100, KeysetDescriptor.GeneralFund, key);
        General500 = Descriptor(1, 500, KeysetDescriptor.GeneralFund, key500);
        Training100 = Descriptor(1, 100, "training", key);
        foreach (var d in AllKeysets)
        {
            await Scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{d.Id}"), KeysetParameters.Of(d), d == General500 ? key500 : key);
        }

        var records = new List<ProviderRecord>();
        foreach (var (id, categories, days) in new[] { ("union-a", new[] { "union" }, 365), ("union-b", new[] { "union" }, 10), ("trainer", new[] { "training" }, 365) })
        {
            var receiptKey = Own(Ed25519SigningKey.Generate());
            _providerKeys[new AccountId(id)] = receiptKey;
            records.Add(Record(id, categories, receiptKey, days));
        }

        Registry = AccreditationRegistry.Sign(1, Start.AddDays(-1), records, AccreditationKey);
        Assert.True(await Scheme.PublishRegistryAsync(Registry));
        UnionA = Own(new AccreditedProvider(records[0], _providerKeys[records[0].Id], Scheme.PublicKey, Time));
        UnionB = Own(new AccreditedProvider(records[1], _providerKeys[records[1].Id], Scheme.PublicKey, Time));
        Trainer = Own(new AccreditedProvider(records[2], _providerKeys[records[2].Id], Scheme.PublicKey, Time));
    }
}
