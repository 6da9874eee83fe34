using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;
using static Wallet.Protocol.Tests.Witnesses.WitnessFixtures;

namespace Wallet.Protocol.Tests.Witnesses;

/// <summary>The behaviour every <see cref="IWitnessStore"/> must have; one subclass per implementation.</summary>
public abstract class WitnessStoreContract
{
    protected abstract IWitnessStore Store { get; }

    [Fact]
    public async Task EmptyStoreHoldsNoCheckpointAndNoEvidence()
    {
        Assert.Null(await Store.GetLatestAsync(Origin, default));
        Assert.Empty(await Store.GetEvidenceAsync(Origin, default));
    }

    [Fact]
    public async Task ReplaceSucceedsOnlyFromTheStateTheCallerRead()
    {
        var log = new TestLog();
        SignedNote five = await log.CheckpointAsync(5);
        SignedNote seven = await log.CheckpointAsync(7);
        SignedNote nine = await log.CheckpointAsync(9);

        Assert.True(await Store.TryReplaceLatestAsync(Origin, null, five, default));
        Assert.False(await Store.TryReplaceLatestAsync(Origin, null, seven, default));
        Assert.True(await Store.TryReplaceLatestAsync(Origin, five, seven, default));
        Assert.False(await Store.TryReplaceLatestAsync(Origin, five, nine, default));

        Assert.Equal(seven, await Store.GetLatestAsync(Origin, default));
    }

    [Fact]
    public async Task OriginsAreKeptApart()
    {
        SignedNote note = await new TestLog().CheckpointAsync(3);

        Assert.True(await Store.TryReplaceLatestAsync(Origin, null, note, default));

        Assert.Null(await Store.GetLatestAsync(Origin + "/other", default));
    }

    [Fact]
    public async Task EvidenceIsKeptOnceInArrivalOrder()
    {
        SignedNote a = await new TestLog().CheckpointAsync(10);
        SignedNote b = await new TestLog(branch: 1).CheckpointAsync(10);
        SignedNote c = await new TestLog(branch: 2).CheckpointAsync(10);
        Assert.True(SplitViewEvidence.TryCreate(a, b, LogSigner.Verifier, null, out SplitViewEvidence? first));
        Assert.True(SplitViewEvidence.TryCreate(a, c, LogSigner.Verifier, null, out SplitViewEvidence? second));

        await Store.AddEvidenceAsync(first, default);
        await Store.AddEvidenceAsync(second, default);
        await Store.AddEvidenceAsync(first, default);

        Assert.Equal([first, second], (await Store.GetEvidenceAsync(Origin, default)).AsEnumerable());
        Assert.Empty(await Store.GetEvidenceAsync(Origin + "/other", default));
    }

    [Fact]
    public async Task CancelledCallsThrowAndChangeNothing()
    {
        SignedNote note = await new TestLog().CheckpointAsync(3);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.TryReplaceLatestAsync(Origin, null, note, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.GetLatestAsync(Origin, cancelled.Token));

        Assert.Null(await Store.GetLatestAsync(Origin, default));
    }
}
