using Microsoft.Extensions.Time.Testing;
using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// A fresh store per test, in memory unless a subclass (the SQLite and PostgreSQL suites) supplies another, with
/// a ledger over it and the helpers the refusal and verification suites share.
/// </summary>
public abstract class LedgerTestBase : IAsyncLifetime
{
    private ILedgerStore? _store;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 4, 1, 9, 30, 0, TimeSpan.Zero));

    protected ILedgerStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    protected SchemeLedger Ledger => new(Store, Time);

    /// <summary>Creates a new, empty store; in memory here.</summary>
    protected virtual Task<ILedgerStore> CreateStoreAsync() => Task.FromResult<ILedgerStore>(new InMemoryLedgerStore());

    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    /// <summary>Contributes <paramref name="value"/> to a worker and withdraws it all as coins of one keyset.</summary>
    protected async Task FundAsync(AccountId worker, int keyset, long value)
    {
        var contribution = await Ledger.ContributeAsync(Key($"fund-c-{worker}-{keyset}"), ContributionSource.Employer, worker, Pence(value));
        var withdrawal = await Ledger.WithdrawAsync(Key($"fund-w-{worker}-{keyset}"), worker, [Issue(keyset, value)]);
        Assert.True(contribution.Succeeded && withdrawal.Succeeded);
    }

    /// <summary>
    /// Everything a refused operation must leave alone: the journal head, every stored balance and keyset counter,
    /// and the spent-coin count.
    /// </summary>
    protected async Task<string> SnapshotAsync()
    {
        await using var tx = await Store.BeginReadAsync(CancellationToken.None);
        var lines = new List<string> { $"head {(await tx.GetHeadAsync(CancellationToken.None)).Sequence}" };
        await foreach (var balance in tx.ReadBalancesAsync(CancellationToken.None))
        {
            lines.Add($"{balance.Account} {balance.Balance}");
        }

        await foreach (var totals in tx.ReadKeysetsAsync(CancellationToken.None))
        {
            lines.Add($"{totals.Keyset} {totals.Issued} {totals.Deposited} {totals.SwappedIn} {totals.Expired} {totals.Reversed} {totals.IsExpired}");
        }

        lines.Add($"spent {await tx.CountSpentCoinsAsync(CancellationToken.None)}");
        return string.Join("\n", lines);
    }
}
