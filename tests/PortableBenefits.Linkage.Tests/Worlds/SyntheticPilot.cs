using Microsoft.Data.Sqlite;
using PortableBenefits.Linkage.Truth;
using Wallet.Protocol;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;

namespace PortableBenefits.Linkage.Tests.Worlds;

/// <summary>
/// A small pilot with no defences, run through the real library on real SQLite files (ledger.db, scheme.db, log.db in a
/// temporary directory, as the pilot lays them out), recording its ground truth as it goes. Each worker withdraws one
/// 500 coin, swaps it for change, pays a 100 to their sector's union, and (optionally) the union deposits at once.
/// </summary>
internal sealed class SyntheticPilot : IAsyncDisposable
{
    private readonly SqliteLedgerStore _ledger;
    private readonly SqliteSchemeStore _scheme;
    private readonly SqliteMerkleLogStore _log;
    private bool _closed;

    private SyntheticPilot(string directory, SqliteLedgerStore ledger, SqliteSchemeStore scheme, SqliteMerkleLogStore log, ProtocolWorld world)
    {
        (Directory, _ledger, _scheme, _log, World) = (directory, ledger, scheme, log, world);
    }

    public string Directory { get; }

    public ProtocolWorld World { get; }

    public GroundTruth Truth { get; } = new();

    public static async Task<SyntheticPilot> CreateAsync()
    {
        string directory = System.IO.Directory.CreateTempSubdirectory("walletcore-linkage-test-").FullName;
        var ledger = await SqliteLedgerStore.OpenAsync(Path.Combine(directory, "ledger.db"));
        var scheme = SqliteSchemeStore.Open(Path.Combine(directory, "scheme.db"));
        var log = SqliteMerkleLogStore.Open(Path.Combine(directory, "log.db"));
        var world = await ProtocolWorld.CreateAsync(ledger, scheme, log);
        return new SyntheticPilot(directory, ledger, scheme, log, world);
    }

    /// <summary>
    /// Runs <paramref name="workers"/> workers, each in its own sitting <paramref name="gap"/> after the previous one's
    /// (zero: everyone at the same instant). Workers with an even index are in sector "a" and pay union-a, the others in
    /// sector "b" and pay union-b. With <paramref name="depositAtOnce"/> the union deposits each payment a minute after
    /// it; otherwise each union deposits one batch at the end.
    /// </summary>
    public async Task RunAsync(int workers, TimeSpan gap, bool depositAtOnce)
    {
        var step = gap == TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromMinutes(2);
        for (int i = 0; i < workers; i++)
        {
            if (i > 0)
            {
                World.Time.Advance(gap);
            }

            var account = new AccountId($"worker-{i:D3}");
            bool even = i % 2 == 0;
            var provider = even ? World.UnionA : World.UnionB;
            Truth.Add(new WorkerProfile(account, "acme", even ? "a" : "b", "north"));
            var (wallet, _) = await World.NewWalletAsync(account.Value, 500);
            await World.WithdrawAsync(wallet, $"withdraw-{i}", World.General500);

            World.Time.Advance(step);
            var key = new IdempotencyKey("swap-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
            var swap = wallet.PrepareChange(key, Amount.FromMinorUnits(100), [World.General100.Id]).Request!;
            var swapped = await World.Client.SwapAsync(swap);
            Assert.Equal(SwapStatus.Swapped, swapped.Status);
            Assert.Equal(SwapCompletion.Completed, wallet.CompleteSwap(swap, swapped.Response!));
            Truth.Add(new TrueSwap(account, key, [.. swap.Inputs.Select(c => c.Id)]));

            World.Time.Advance(step);
            var (request, spends) = await World.PayAsync(wallet, provider, 100);
            Truth.Add(new TruePayment("spending", account, provider.Record.Id, request.Id, [.. spends.Select(s => s.Coin.Id)]));
            if (depositAtOnce)
            {
                World.Time.Advance(step / 2);
                await DepositAsync(provider, $"deposit-{i}");
            }
        }

        if (!depositAtOnce)
        {
            foreach (var provider in new[] { World.UnionA, World.UnionB })
            {
                await DepositAsync(provider, $"deposit-{provider.Record.Id}");
            }
        }
    }

    // The provider settles each deposit, or its next deposit would resend this one.
    private async Task DepositAsync(AccreditedProvider provider, string key)
    {
        var (request, result) = await World.DepositAsync(provider, key);
        Assert.Equal(DepositStatus.Accepted, result.Status);
        Assert.NotEmpty(await provider.CompleteDepositAsync(request, result));
    }

    /// <summary>Closes the stores, as a finished pilot leaves its files.</summary>
    public async ValueTask CloseAsync()
    {
        if (!_closed)
        {
            _closed = true;
            World.Dispose();
            _scheme.Dispose();
            _log.Dispose();
            await _ledger.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
