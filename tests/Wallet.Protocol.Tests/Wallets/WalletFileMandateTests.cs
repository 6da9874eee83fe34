using Wallet.Protocol.Keysets;
using Wallet.Protocol.Mandates;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>Dues mandates in the wallet file (state version 6, docs/PROTOCOL.md 5.19 and 8.1) and the seed-derived pay moments.</summary>
public sealed class WalletFileMandateTests
{
    [Fact]
    public async Task MandatesPaidPeriodsArrearsAndCancellationSurviveTheFile()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 100);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        var (kept, cancelled) = (Mandate(world, "a"), Mandate(world, "b"));
        Assert.Equal(MandateAcceptance.Accepted, wallet.AcceptMandate(kept, world.Registry));
        Assert.Equal(MandateAcceptance.Accepted, wallet.AcceptMandate(cancelled, world.Registry));
        Assert.True(wallet.CancelMandate(cancelled.Id));

        // Period 0 is paid (in flight), period 1 is short of funds.
        world.Time.SetUtcNow(kept.PeriodStart(0) + TimeSpan.FromDays(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(PaymentPreparationStatus.Ready, wallet.PrepareMandatePayment(kept.Id, 0, await RequestAsync(world, kept, 0), world.Registry).Status);
        world.Time.SetUtcNow(kept.PeriodStart(1) + TimeSpan.FromDays(1));
        Assert.Equal(PaymentPreparationStatus.NoExactCoins, wallet.PrepareMandatePayment(kept.Id, 1, await RequestAsync(world, kept, 1), world.Registry).Status);

        byte[] state = wallet.ExportState();
        Assert.Equal(WorkerWallet.StateVersion, state[0]);
        Assert.Equal(6, WorkerWallet.StateVersion);
        using var loaded = WorkerWallet.ImportState(state, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time);

        Assert.Equal(state, loaded.ExportState());
        var now = world.Time.GetUtcNow();
        Assert.Equal(wallet.MandateStatus(now), loaded.MandateStatus(now), new StatusComparer());
        var status = loaded.MandateStatus(now).Single(s => s.Mandate.Id == kept.Id);
        Assert.Equal([MandatePeriodState.InFlight, MandatePeriodState.Arrears], status.Periods.Select(p => p.State));
        Assert.True(loaded.MandateStatus(now).Single(s => s.Mandate.Id == cancelled.Id).IsCancelled);
        Assert.Equal(wallet.DueMandatePayments(now).Select(d => (d.Mandate.Id, d.Period, d.PayAt)), loaded.DueMandatePayments(now).Select(d => (d.Mandate.Id, d.Period, d.PayAt)));
    }

    [Fact]
    public async Task VersionFiveStateStillLoadsWithNoMandates()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 100);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        byte[] state = wallet.ExportState();

        // Version 6 is version 5 followed by no pending refund claim and no mandate (a u32 count each).
        Assert.Equal(new byte[8], state[^8..]);
        byte[] v5 = state[..^8];
        v5[0] = 5;
        using var loaded = WorkerWallet.ImportState(v5, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time);
        Assert.Equal(state, loaded.ExportState());
        Assert.Empty(loaded.Mandates);

        // A version-5 header on a state that carries the mandates has trailing bytes.
        byte[] mislabelled = (byte[])state.Clone();
        mislabelled[0] = 5;
        Assert.Equal(WalletFileError.Malformed, Assert.Throws<WalletFileException>(() => WorkerWallet.ImportState(mislabelled, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time)).Error);
    }

    [Fact]
    public async Task PayMomentsComeFromTheSeedAndFallInsideEachPayWindow()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (first, seed, accountKey) = await WalletFileTests.NewWalletAsync(world, "worker-1", 0);
        var (second, _, _) = await WalletFileTests.NewWalletAsync(world, "worker-2", 0);
        var mandate = Mandate(world, "c");
        Assert.Equal(MandateAcceptance.Accepted, first.AcceptMandate(mandate, world.Registry));
        Assert.Equal(MandateAcceptance.Accepted, second.AcceptMandate(mandate, world.Registry));
        var later = mandate.PeriodStart(7);
        var a = first.MandateStatus(later)[0].Periods;
        var b = second.MandateStatus(later)[0].Periods;

        Assert.Equal(8, a.Count);
        Assert.All(a.Concat(b), p => Assert.InRange(p.PayAt, mandate.PeriodStart(p.Period), mandate.PeriodStart(p.Period) + TimeSpan.FromDays(5) - TimeSpan.FromSeconds(1)));
        Assert.NotEqual(a.Select(p => p.PayAt), b.Select(p => p.PayAt));
        Assert.True(a.Select(p => p.PayAt - mandate.PeriodStart(p.Period)).Distinct().Count() > 1);

        // The same seed, restored elsewhere, draws the same moments.
        using var restored = WorkerWallet.ImportState(first.ExportState(), seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time);
        Assert.Equal(a.Select(p => p.PayAt), restored.MandateStatus(later)[0].Periods.Select(p => p.PayAt));
    }

    private static DuesMandate Mandate(ProtocolWorld world, string member) =>
        DuesMandate.Sign(MandateId.New(), world.UnionA.Record.Id, System.Text.Encoding.ASCII.GetBytes(member), Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, TimeSpan.FromDays(7), TimeSpan.FromDays(5), world.Time.GetUtcNow(), null, world.ProviderKey(world.UnionA));

    private static Task<Protocol.Payments.PaymentRequest> RequestAsync(ProtocolWorld world, DuesMandate mandate, uint period)
    {
        var key = world.ProviderKey(world.UnionA);
        var now = world.Time.GetUtcNow();
        return Task.FromResult(Protocol.Payments.PaymentRequest.Sign(mandate.Provider, mandate.Amount, mandate.PurposeFor(period), System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), now, now.AddDays(1), key));
    }

    private sealed class StatusComparer : IEqualityComparer<MandateStatus>
    {
        public bool Equals(MandateStatus? x, MandateStatus? y) =>
            x!.Mandate.Encode().AsSpan().SequenceEqual(y!.Mandate.Encode()) && x.IsCancelled == y.IsCancelled && x.Periods.SequenceEqual(y.Periods);

        public int GetHashCode(MandateStatus obj) => obj.Periods.Count;
    }
}
