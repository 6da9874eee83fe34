using System.Collections.Concurrent;
using PortableBenefits.Demo.Http;
using Wallet.Protocol.Http.Client;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Transport;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;

namespace PortableBenefits.Demo.Pilot;

/// <summary>
/// Everything the pilot's steps share: the scheme on its stores, the parties, the simulated calendar, the figures the
/// report prints and the checks behind them. Wallets, providers and the auditor reach the scheme only through
/// <see cref="Client"/>, the network surface; the operator's own calls (keysets, contributions, expiry) go to
/// <see cref="Scheme"/>.
/// </summary>
internal sealed class PilotWorld : IAsyncDisposable
{
    public static readonly DateTimeOffset PilotStart = new(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);

    private readonly List<IDisposable> _owned = [];
    private readonly IAsyncDisposable _ledgerStore;
    private LoopbackSchemeFront? _front;

    private PilotWorld(PilotOptions options, string dataDirectory, bool ownsDirectory, ILedgerStore ledgerStore, SqliteSchemeStore schemeStore, SqliteMerkleLogStore logStore, string ledgerDescription)
    {
        Options = options;
        DataDirectory = dataDirectory;
        OwnsDirectory = ownsDirectory;
        LedgerDescription = ledgerDescription;
        _ledgerStore = (IAsyncDisposable)ledgerStore;
        _owned.Add(schemeStore);
        _owned.Add(logStore);
        Random = new Random(options.Seed);
        SchemeKey = Own(Ed25519SigningKey.Generate());
        AccreditationKey = Own(Ed25519SigningKey.Generate());
        Ledger = new SchemeLedger(ledgerStore, Clock);
        Scheme = new BenefitScheme(SchemeKey, AccreditationKey.PublicKey, Ledger, schemeStore, logStore, Clock);
    }

    public PilotOptions Options { get; }

    public string DataDirectory { get; }

    public bool OwnsDirectory { get; }

    public string LedgerDescription { get; private set; }

    public PilotClock Clock { get; } = new(PilotStart);

    /// <summary>The simulation's choices (who joins what, who spends where); replayable with --seed. Keys and blinding use the OS CSPRNG.</summary>
    public Random Random { get; }

    public Ed25519SigningKey SchemeKey { get; }

    public Ed25519SigningKey AccreditationKey { get; }

    public SchemeLedger Ledger { get; }

    public BenefitScheme Scheme { get; }

    /// <summary>The network surface: the scheme itself, or an <see cref="HttpSchemeClient"/> to it with --scheme-url.</summary>
    public ISchemeClient Client => (ISchemeClient?)_front?.Client ?? Scheme;

    /// <summary>Where the scheme is served over HTTP, with --scheme-url.</summary>
    public Uri? HttpAddress => _front?.Address;

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

    /// <summary>Who paid each open payment request, so the provider's spend receipt reaches the right wallet after the deposit.</summary>
    public ConcurrentDictionary<PaymentRequest, PilotWorker> Payers { get; } = new(ReferenceEqualityComparer.Instance);

    public List<(string Step, TimeSpan Elapsed)> Timings { get; } = [];

    public static async Task<PilotWorld> OpenAsync(PilotOptions options)
    {
        bool owns = options.DataDirectory is null;
        string directory = options.DataDirectory ?? Directory.CreateTempSubdirectory("walletcore-pilot-").FullName;
        Directory.CreateDirectory(directory);
        foreach (string name in new[] { "ledger.db", "scheme.db", "log.db" })
        {
            // A pilot starts from nothing: files of an earlier run in the chosen directory are replaced.
            foreach (string suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(Path.Combine(directory, name + suffix));
            }
        }

        ILedgerStore ledger;
        string description;
        if (options.PostgresConnection is { } connection)
        {
            ledger = await PostgresLedgerStore.OpenAsync(connection).ConfigureAwait(false);
            description = "PostgreSQL ledger; scheme state and log in SQLite files under " + directory;
        }
        else
        {
            ledger = await SqliteLedgerStore.OpenAsync(Path.Combine(directory, "ledger.db")).ConfigureAwait(false);
            description = "SQLite files under " + directory;
        }

        var scheme = SqliteSchemeStore.Open(Path.Combine(directory, "scheme.db"));
        var log = SqliteMerkleLogStore.Open(Path.Combine(directory, "log.db"));
        var world = new PilotWorld(options, directory, owns, ledger, scheme, log, description);
        if (options.SchemeUrl is { } url)
        {
            world._front = await LoopbackSchemeFront.StartAsync(world.Scheme, url, CancellationToken.None).ConfigureAwait(false);
            world.LedgerDescription += $"; wallets, providers and auditor over HTTP at {world._front.Address}";
        }

        return world;
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
        if (_front is not null)
        {
            await _front.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var worker in Workers)
        {
            worker.Wallet.Dispose();
        }

        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }

        await _ledgerStore.DisposeAsync().ConfigureAwait(false);
        if (OwnsDirectory)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
