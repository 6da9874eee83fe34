using Wallet.Crypto.Signing;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Mandates;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>
/// Dues mandates end to end (docs/PROTOCOL.md 5.19): the union issues a mandate, the worker's wallet accepts it and pays
/// each period by itself through the ordinary payment path, the union deposits and its membership ledger follows; funds
/// short put periods in arrears that are caught up oldest first; a cancelled mandate stops and the member lapses. Every
/// store backend runs the whole suite (the union's store through <see cref="CreateUnionStore"/>).
/// </summary>
public abstract class MandateContract
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private static readonly TimeSpan Window = TimeSpan.FromDays(5);
    private int _deposits;

    protected abstract Task<ProtocolWorld> CreateWorldAsync();

    protected abstract IProviderStore CreateUnionStore();

    [Fact]
    public async Task AcceptedMandateIsPaidEveryPeriodAndTheMembershipLedgerFollows()
    {
        using var world = await CreateWorldAsync();
        using var union = Union(world);
        var (wallet, _) = await world.NewWalletAsync("member-1", 400);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100, world.General100);
        var mandate = await IssueAsync(union, world, periods: 4);

        Assert.Equal(MandateAcceptance.Accepted, wallet.AcceptMandate(mandate, world.Registry));
        Assert.Equal(MandateAcceptance.AlreadyAccepted, wallet.AcceptMandate(mandate, world.Registry));
        Assert.Equal(mandate.Encode(), (await union.GetMandateAsync(mandate.Id))!.Encode());

        for (uint period = 0; period < 4; period++)
        {
            // The last second of the pay window: every pay moment lies before it, so the period is due, not yet in arrears.
            world.Time.SetUtcNow(mandate.PeriodStart(period) + Window - TimeSpan.FromSeconds(1));
            var due = Assert.Single(wallet.DueMandatePayments(world.Time.GetUtcNow()));
            Assert.Equal((mandate.Id, period, false), (due.Mandate.Id, due.Period, due.InArrears));
            Assert.InRange(due.PayAt, mandate.PeriodStart(period), mandate.PeriodStart(period) + Window);

            Assert.Equal(1, await PayDueAsync(world, wallet, union));
            Assert.Empty(wallet.DueMandatePayments(world.Time.GetUtcNow()));
            Assert.Equal(MandatePeriodState.InFlight, wallet.MandateStatus(world.Time.GetUtcNow())[0].Periods[(int)period].State);
            await DepositAsync(world, wallet, union);

            var entry = (await union.GetMembershipAsync(mandate.Id))!;
            Assert.Equal(period + 1, entry.PeriodsPaid);
            Assert.Equal(period, entry.PaidThrough);
        }

        var status = Assert.Single(wallet.MandateStatus(world.Time.GetUtcNow()));
        Assert.All(status.Periods, p => Assert.Equal(MandatePeriodState.Paid, p.State));
        Assert.Equal(4, status.PaidPeriods);
        Assert.Equal(Amount.Zero, status.Arrears);
        Assert.Equal(0, wallet.Balance.MinorUnits);
        Assert.Equal(400, await world.Scheme.GetProviderBalanceAsync(union.Record.Id));

        // The mandate has ended: nothing more is due, and a request for a period it does not cover is refused.
        world.Time.SetUtcNow(mandate.EndsAt!.Value + Week);
        Assert.Empty(wallet.DueMandatePayments(world.Time.GetUtcNow()));
        Assert.Null(await union.CreateMandatePaymentRequestAsync(mandate.Id, 4, TimeSpan.FromDays(1)));
        Assert.Null(await union.CreateMandatePaymentRequestAsync(mandate.Id, 3, TimeSpan.FromDays(1)));

        var statement = (await union.IssuePaidUpStatementAsync(mandate.Id))!;
        Assert.True(statement.Verify(mandate, union.Record.ReceiptKey));
        Assert.True(PaidUpStatement.Decode(statement.Encode()).Verify(mandate, union.Record.ReceiptKey));
        Assert.Equal(4u, statement.PeriodsPaid);
        Assert.Equal(mandate.EndsAt, statement.PaidUntil);
        Assert.Empty(await union.ListLapsedAsync(world.Time.GetUtcNow()));
    }

    [Fact]
    public async Task FundsShortPutPeriodsInArrearsAndTheyAreCaughtUpOldestFirst()
    {
        using var world = await CreateWorldAsync();
        using var union = Union(world);
        var (wallet, _) = await world.NewWalletAsync("member-2", 300);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        var mandate = await IssueAsync(union, world, periods: 6);
        Assert.Equal(MandateAcceptance.Accepted, wallet.AcceptMandate(mandate, world.Registry));

        world.Time.SetUtcNow(mandate.PeriodStart(0) + Window - TimeSpan.FromSeconds(1));
        Assert.Equal(1, await PayDueAsync(world, wallet, union));
        await DepositAsync(world, wallet, union);

        // Period 1: the wallet is empty, so the payment is refused and the period falls into arrears at once.
        world.Time.SetUtcNow(mandate.PeriodStart(1) + Window - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await PayDueAsync(world, wallet, union));
        var status = Assert.Single(wallet.MandateStatus(world.Time.GetUtcNow()));
        Assert.Equal(MandatePeriodState.Arrears, status.Periods[1].State);
        Assert.Equal(100, status.Arrears.MinorUnits);

        // Period 2 starts: period 1 has ended unpaid, and the union sees the lapse.
        world.Time.SetUtcNow(mandate.PeriodStart(2) + Window - TimeSpan.FromSeconds(1));
        var lapsed = Assert.Single(await union.ListLapsedAsync(world.Time.GetUtcNow()));
        Assert.Equal(1u, lapsed.PeriodsPaid);
        Assert.Equal(0u, lapsed.PaidThrough);
        Assert.Equal(0, await PayDueAsync(world, wallet, union));
        Assert.Equal(200, wallet.MandateStatus(world.Time.GetUtcNow())[0].Arrears.MinorUnits);

        // Funds arrive: the oldest period goes first, then the current one.
        await world.WithdrawAsync(wallet, "w2", world.General100, world.General100);
        var due = wallet.DueMandatePayments(world.Time.GetUtcNow());
        Assert.Equal([1u, 2u], due.Select(d => d.Period));
        Assert.True(due[0].InArrears);
        Assert.Equal(2, await PayDueAsync(world, wallet, union));
        await DepositAsync(world, wallet, union);

        Assert.Equal(3u, (await union.GetMembershipAsync(mandate.Id))!.PeriodsPaid);
        Assert.Empty(await union.ListLapsedAsync(world.Time.GetUtcNow()));
        Assert.Equal(Amount.Zero, wallet.MandateStatus(world.Time.GetUtcNow())[0].Arrears);
        Assert.Equal(3u, (await union.IssuePaidUpStatementAsync(mandate.Id))!.PeriodsPaid);
    }

    [Fact]
    public async Task CancelledMandateIsNoLongerPaidAndTheMemberLapses()
    {
        using var world = await CreateWorldAsync();
        using var union = Union(world);
        var (wallet, _) = await world.NewWalletAsync("member-3", 300);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100);
        var mandate = await IssueAsync(union, world, periods: null);
        Assert.Equal(MandateAcceptance.Accepted, wallet.AcceptMandate(mandate, world.Registry));

        world.Time.SetUtcNow(mandate.PeriodStart(0) + Window - TimeSpan.FromSeconds(1));
        Assert.Equal(1, await PayDueAsync(world, wallet, union));
        await DepositAsync(world, wallet, union);

        Assert.True(wallet.CancelMandate(mandate.Id));
        Assert.False(wallet.CancelMandate(mandate.Id));
        Assert.False(wallet.CancelMandate(MandateId.New()));

        world.Time.SetUtcNow(mandate.PeriodStart(1) + Window - TimeSpan.FromSeconds(1));
        Assert.Empty(wallet.DueMandatePayments(world.Time.GetUtcNow()));
        var request = (await union.CreateMandatePaymentRequestAsync(mandate.Id, 1, TimeSpan.FromDays(1)))!;
        Assert.Equal(PaymentPreparationStatus.UnknownMandate, wallet.PrepareMandatePayment(mandate.Id, 1, request, world.Registry).Status);
        Assert.Equal(200, wallet.Balance.MinorUnits);
        Assert.True(Assert.Single(wallet.MandateStatus(world.Time.GetUtcNow())).IsCancelled);

        world.Time.SetUtcNow(mandate.PeriodStart(2));
        var lapsed = Assert.Single(await union.ListLapsedAsync(world.Time.GetUtcNow()));
        Assert.Equal(mandate.Id, lapsed.Mandate.Id);
        Assert.Equal(mandate.PeriodStart(1), lapsed.PaidUntil);
    }

    [Fact]
    public async Task RequestsThatDoNotBindToTheMandatePeriodAreRefusedAndNothingIsSpent()
    {
        using var world = await CreateWorldAsync();
        using var union = Union(world);
        var (wallet, _) = await world.NewWalletAsync("member-4", 200);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        var mandate = await IssueAsync(union, world, periods: 4);
        Assert.Equal(MandateAcceptance.Accepted, wallet.AcceptMandate(mandate, world.Registry));
        world.Time.SetUtcNow(mandate.PeriodStart(1) + TimeSpan.FromHours(1));

        // An ordinary request of the same amount, the request for another period, one of another mandate: none binds.
        var ordinary = await union.CreatePaymentRequestAsync(mandate.Amount, "union dues", TimeSpan.FromDays(1));
        var period0 = (await union.CreateMandatePaymentRequestAsync(mandate.Id, 0, TimeSpan.FromDays(1)))!;
        var other = await union.IssueMandateAsync("member-0043"u8.ToArray(), mandate.Amount, mandate.Fund, Week, Window, mandate.StartsAt, null);
        var otherRequest = (await union.CreateMandatePaymentRequestAsync(other.Id, 1, TimeSpan.FromDays(1)))!;
        Assert.Equal(PaymentPreparationStatus.NotForMandate, wallet.PrepareMandatePayment(mandate.Id, 1, ordinary, world.Registry).Status);
        Assert.Equal(PaymentPreparationStatus.NotForMandate, wallet.PrepareMandatePayment(mandate.Id, 1, period0, world.Registry).Status);
        Assert.Equal(PaymentPreparationStatus.NotForMandate, wallet.PrepareMandatePayment(mandate.Id, 1, otherRequest, world.Registry).Status);
        Assert.Equal(PaymentPreparationStatus.UnknownMandate, wallet.PrepareMandatePayment(other.Id, 1, otherRequest, world.Registry).Status);

        // A period that has not started yet is neither requested nor paid.
        Assert.Null(await union.CreateMandatePaymentRequestAsync(mandate.Id, 2, TimeSpan.FromDays(1)));
        Assert.Equal(200, wallet.Balance.MinorUnits);

        // Paying one period twice with two requests is refused: the first payment stands.
        var first = (await union.CreateMandatePaymentRequestAsync(mandate.Id, 1, TimeSpan.FromDays(1)))!;
        var second = (await union.CreateMandatePaymentRequestAsync(mandate.Id, 1, TimeSpan.FromDays(1)))!;
        Assert.Equal(PaymentPreparationStatus.Ready, wallet.PrepareMandatePayment(mandate.Id, 1, first, world.Registry).Status);
        Assert.Equal(PaymentPreparationStatus.Ready, wallet.PrepareMandatePayment(mandate.Id, 1, first, world.Registry).Status);
        Assert.Equal(PaymentPreparationStatus.AlreadyPaid, wallet.PrepareMandatePayment(mandate.Id, 1, second, world.Registry).Status);
        Assert.Equal(100, wallet.Balance.MinorUnits);

        // A mandate under a key the registry does not give the union, or one reusing a kept id, is not accepted.
        using var stranger = Ed25519SigningKey.Generate();
        var forged = DuesMandate.Sign(MandateId.New(), union.Record.Id, "m"u8, mandate.Amount, mandate.Fund, Week, Window, mandate.StartsAt, null, stranger);
        Assert.Equal(MandateAcceptance.BadSignature, wallet.AcceptMandate(forged, world.Registry));
        var reused = DuesMandate.Sign(mandate.Id, union.Record.Id, "m"u8, mandate.Amount, mandate.Fund, Week, Window, mandate.StartsAt, null, world.ProviderKey(world.UnionA));
        Assert.Equal(MandateAcceptance.Conflict, wallet.AcceptMandate(reused, world.Registry));
        var trainer = DuesMandate.Sign(MandateId.New(), world.Trainer.Record.Id, "m"u8, mandate.Amount, "training", Week, Window, mandate.StartsAt, null, world.ProviderKey(world.Trainer));
        Assert.Equal(MandateAcceptance.Accepted, wallet.AcceptMandate(trainer, world.Registry));
        var wrongFund = DuesMandate.Sign(MandateId.New(), world.Trainer.Record.Id, "m"u8, mandate.Amount, "union", Week, Window, mandate.StartsAt, null, world.ProviderKey(world.Trainer));
        Assert.Equal(MandateAcceptance.ProviderNotAccredited, wallet.AcceptMandate(wrongFund, world.Registry));
        Assert.Equal(2, wallet.Mandates.Count);
    }

    protected async Task<int> PayDueAsync(ProtocolWorld world, WorkerWallet wallet, AccreditedProvider union)
    {
        int paid = 0;
        foreach (var due in wallet.DueMandatePayments(world.Time.GetUtcNow()))
        {
            var request = (await union.CreateMandatePaymentRequestAsync(due.Mandate.Id, due.Period, TimeSpan.FromDays(1)))!;
            var prepared = wallet.PrepareMandatePayment(due.Mandate.Id, due.Period, request, world.Registry);
            if (prepared.Status != PaymentPreparationStatus.Ready)
            {
                Assert.Equal(PaymentPreparationStatus.NoExactCoins, prepared.Status);
                continue;
            }

            Assert.Equal(PaymentVerification.Accepted, await union.VerifyPaymentAsync(request, prepared.Spends, world.AllKeysets));
            _requests[request.Id] = request;
            paid++;
        }

        return paid;
    }

    protected async Task DepositAsync(ProtocolWorld world, WorkerWallet wallet, AccreditedProvider union)
    {
        var deposit = (await union.CreateDepositAsync(new IdempotencyKey($"mandate-deposit-{++_deposits}")))!;
        var result = await world.Client.DepositAsync(deposit);
        foreach (var (request, receipt) in await union.CompleteDepositAsync(deposit, result))
        {
            Assert.True(wallet.AcceptSpendReceipt(receipt, _requests[request.Id], world.Registry));
        }
    }

    protected AccreditedProvider Union(ProtocolWorld world) =>
        new(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, CreateUnionStore());

    protected static Task<DuesMandate> IssueAsync(AccreditedProvider union, ProtocolWorld world, int? periods) =>
        union.IssueMandateAsync("member-0042"u8.ToArray(), Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, Week, Window, world.Time.GetUtcNow(), periods is { } n ? world.Time.GetUtcNow() + (Week * n) : null);

    private readonly Dictionary<PaymentId, PaymentRequest> _requests = [];
}
