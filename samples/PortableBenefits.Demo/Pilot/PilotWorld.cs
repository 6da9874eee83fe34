using System.Collections.Concurrent;
using PortableBenefits.Demo.Http;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Keysets;
using Wallet.Protocol;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Witnesses;

namespace PortableBenefits.Demo.Pilot;

/// <summary>
/// Everything the pilot's steps share: the scheme's two surfaces, the parties, the simulated calendar, the figures the
/// report prints and the checks behind them. Wallets, providers and the auditor reach the scheme only through
/// <see cref="Client"/> (the network surface); the operator's calls (accounts, payroll, keysets, expiry, ledger reads)
/// go through <see cref="Operator"/>. In process both are the <see cref="BenefitScheme"/> on local stores; with
/// --scheme-url they are <see cref="HttpSchemeClient"/> and <see cref="HttpSchemeOperatorClient"/> to a separately
/// started Scheme.Server, whose sample clock the pilot moves through the simulated months.
/// </summary>
internal sealed partial class PilotWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset PilotStart = new(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);

    private readonly List<IDisposable> _owned = [];
    private readonly IAsyncDisposable? _ledgerStore;
    private readonly RemoteClock? _remoteClock;
    private int _deposits;

    private PilotWorld(PilotOptions options, string? dataDirectory, Ed25519SigningKey accreditationKey, Ed25519PublicKey schemePublicKey, ISchemeOperator schemeOperator, ISchemeClient client, string description, IAsyncDisposable? ledgerStore, RemoteClock? remoteClock, PilotClock clock)
    {
        Clock = clock;
        Options = options;
        DataDirectory = dataDirectory;
        LedgerDescription = description;
        _ledgerStore = ledgerStore;
        _remoteClock = remoteClock;
        Random = new Random(options.Seed);
        AccreditationKey = Own(accreditationKey);
        SchemePublicKey = schemePublicKey;
        Operator = schemeOperator;
        Client = client;
        GroundTruth = new GroundTruth(options.GroundTruthFile);
    }

    public PilotOptions Options { get; }

    /// <summary>Where the local stores live (null when the pilot drives a server); deleted at exit unless --data-dir chose it.</summary>
    public string? DataDirectory { get; }

    public string LedgerDescription { get; }

    /// <summary>The linkage attack's scores on this run's stored data (null until measured, or when the data is not local SQLite).</summary>
    public PortableBenefits.Linkage.Reporting.LinkageReport? Linkage { get; set; }

    public PilotClock Clock { get; }

    /// <summary>The simulation's choices (who joins what, who spends where); replayable with --seed. Keys and blinding use the OS CSPRNG.</summary>
    public Random Random { get; }

    /// <summary>The accreditation body's key: it signs the registry and the default-allocation table, never the scheme.</summary>
    public Ed25519SigningKey AccreditationKey { get; }

    /// <summary>The scheme's public key, the trust anchor of every wallet, provider and the auditor.</summary>
    public Ed25519PublicKey SchemePublicKey { get; }

    /// <summary>The operator surface: the scheme in process, or the authenticated operator API with --scheme-url.</summary>
    public ISchemeOperator Operator { get; }

    /// <summary>The network surface: the scheme in process, or an <see cref="HttpSchemeClient"/> with --scheme-url.</summary>
    public ISchemeClient Client { get; }

    public AccreditationRegistry Registry { get; set; } = null!;

    public DefaultAllocationTable AllocationTable { get; set; } = null!;

    public List<Employer> Employers { get; } = [];

    public List<PilotProvider> Providers { get; } = [];

    public List<PilotWorker> Workers { get; } = [];

    public List<EpochKeysets> Epochs { get; } = [];

    public IReadOnlyList<KeysetDescriptor> AllKeysets => [.. Epochs.SelectMany(e => e.All)];

    public CheckList Checks { get; } = new();

    /// <summary>Tree heads collected by the parties (wallet syncs, deposit receipts): the auditor checks every one against the log.</summary>
    public ConcurrentBag<SignedTreeHead> TreeHeads { get; } = [];

    public PilotFigures Figures { get; } = new();

    /// <summary>
    /// The witness policy every wallet applies (--witness-key with --scheme-url): wallets then trust the log only through
    /// checkpoints that k of the configured witnesses cosigned (docs/PROTOCOL.md 5.13); null without witnesses.
    /// </summary>
    public WitnessPolicy? WitnessPolicy { get; private set; }

    /// <summary>Who paid each open payment, by its id (the request read back from the provider's store is another object), so the provider's spend receipt reaches the right wallet after the deposit.</summary>
    public ConcurrentDictionary<PaymentId, PilotWorker> Payers { get; } = new();

    public List<(string Step, TimeSpan Elapsed)> Timings { get; } = [];

    /// <summary>The research ground truth (--ground-truth); does nothing without a file.</summary>
    public GroundTruth GroundTruth { get; }

    /// <summary>The 1-based number of the step running now, as printed "[ n/N]" (the ground truth's pay lines name it).</summary>
    public int CurrentStep { get; set; }

    /// <summary>When providers deposit: on a schedule with the defences, each payment at once without them.</summary>
    public ProviderDepositPolicy DepositPolicy => Options.Defences ? ProviderDepositPolicy.Default : ProviderDepositPolicy.Immediate;

    /// <summary>A fresh idempotency key for a provider's next deposit batch (unused when no batch is made).</summary>
    public IdempotencyKey NextDepositKey(string label) => new($"deposit-{label}-{Interlocked.Increment(ref _deposits)}");

    public static Task<PilotWorld> OpenAsync(PilotOptions options) =>
        options.SchemeUrl is { } url ? ConnectAsync(options, url) : OpenInProcessAsync(options);

    /// <summary>Moves the simulated calendar forward, and the server's sample clock with it when the pilot drives one.</summary>
    public async Task MoveClockAsync(DateTimeOffset when, CancellationToken cancellationToken)
    {
        if (when == Clock.Now)
        {
            // Already there: nothing to move, here or on the server.
            return;
        }

        Clock.MoveTo(when);
        if (_remoteClock is not null)
        {
            await _remoteClock.MoveToAsync(when, cancellationToken).ConfigureAwait(false);
        }
    }

    public T Own<T>(T disposable)
        where T : IDisposable
    {
        lock (_owned)
        {
            _owned.Add(disposable);
        }

        return disposable;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in Workers)
        {
            worker.Wallet.Dispose();
        }

        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }

        _remoteClock?.Dispose();
        GroundTruth.Dispose();
        if (_ledgerStore is not null)
        {
            await _ledgerStore.DisposeAsync().ConfigureAwait(false);
        }

        if (DataDirectory is not null && Options.DataDirectory is null)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
