using Wallet.Protocol.Ledger;
using static Wallet.Protocol.Tests.Ledger.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

public sealed class InMemoryLedgerStoreTests : LedgerStoreContract
{
    protected override Task<ILedgerStore> CreateStoreAsync() => Task.FromResult<ILedgerStore>(new InMemoryLedgerStore());

    [Fact]
    public async Task EntryLookupOutsideTheJournalFindsNothing()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(10));

        await using var tx = await Store.BeginReadAsync(CancellationToken.None);

        Assert.Null(await tx.GetEntryAsync(0, CancellationToken.None));
        Assert.Null(await tx.GetEntryAsync(3, CancellationToken.None));
        Assert.Equal(1, (await tx.GetEntryAsync(1, CancellationToken.None))!.Sequence);
        Assert.Equal(2, (await tx.GetEntryAsync(2, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task BalancesAreReadInAccountOrder()
    {
        await Ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(2), Pence(10));
        await Ledger.ContributeAsync(Key("c2"), ContributionSource.Levy, Worker(1), Pence(10));

        var accounts = new List<LedgerAccount>();
        await using var tx = await Store.BeginReadAsync(CancellationToken.None);
        await foreach (var balance in tx.ReadBalancesAsync(CancellationToken.None))
        {
            accounts.Add(balance.Account);
        }

        Assert.Equal(4, accounts.Count);
        Assert.Equal(accounts.Order(), accounts);
    }

    [Fact]
    public async Task SecondOutcomeUnderOneKeyFailsTheTransaction()
    {
        var record = new IdempotencyRecord(Key("k"), new byte[32], LedgerStatus.InsufficientFunds, null, []);

        await using (var tx = await Store.BeginWriteAsync(CancellationToken.None))
        {
            await tx.RecordOutcomeAsync(record, CancellationToken.None);
            await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.RecordOutcomeAsync(record, CancellationToken.None));
            await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.CommitAsync(CancellationToken.None));
        }

        await using var read = await Store.BeginReadAsync(CancellationToken.None);
        Assert.Null(await read.FindOutcomeAsync(Key("k"), CancellationToken.None));
    }
}
