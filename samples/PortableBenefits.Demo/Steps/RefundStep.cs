using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Refunds;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Wallets;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// A training course is cancelled (docs/PROTOCOL.md 5.17): the trainer refunds the payment it was credited for, the
/// worker's wallet claims the refund with the paid coins' keys and no account, and gets fresh coins of the same fund.
/// The scheme pays it from the trainer's payable and logs provider, amount and coin counts only.
/// </summary>
internal sealed class RefundStep(uint epoch) : IPilotStep
{
    public string Title => $"Epoch {epoch}: a cancelled training course is refunded";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var trainer = world.Providers.First(p => p.Category == "training");
        var funds = world.AllKeysets.ToDictionary(k => k.Id, k => k.Fund);
        var checks = world.Checks;

        // The first active worker with a coin the trainer accepts books a course of exactly that coin's value.
        PilotWorker? worker = null;
        Wallet.Protocol.Payments.PaymentRequest? request = null;
        foreach (var candidate in world.Workers.Where(w => !w.Inactive))
        {
            var coin = candidate.Wallet.Coins.FirstOrDefault(c => trainer.Role.Record.Accepts(funds[c.Coin.Keyset]));
            if (coin is null)
            {
                continue;
            }

            var offer = await trainer.Role.CreatePaymentRequestAsync(coin.Value, "training course (cancelled later)", TimeSpan.FromHours(1), cancellationToken);
            var prepared = candidate.Wallet.PreparePayment(offer, world.Registry);
            if (prepared.Status == PaymentPreparationStatus.Ready && await trainer.Role.VerifyPaymentAsync(offer, prepared.Spends, world.AllKeysets, cancellationToken) == PaymentVerification.Accepted)
            {
                world.GroundTruth.Pay(world.CurrentStep, candidate, offer, prepared.Spends.Select(s => s.Coin.Id));
                world.Payers[offer.Id] = candidate;
                (worker, request) = (candidate, offer);
                break;
            }
        }

        if (!checks.Check("refunds", "a worker paid the trainer for a course", worker is not null) || worker is null || request is null)
        {
            return;
        }

        await ProviderDeposits.RunAsync(world, trainer, null, $"{epoch}-refund", new ActivityTally(), cancellationToken);
        var state = await trainer.Role.GetPaymentStatusAsync(request.Id, cancellationToken);
        checks.Check("refunds", "the course payment was deposited and the trainer credited", state.Status == ProviderPaymentStatus.Paid, state.Status.ToString());

        var payable = LedgerAccount.Provider(trainer.Role.Record.Id);
        long payableBefore = await world.Operator.GetBalanceAsync(payable, cancellationToken);
        long balanceBefore = worker.Wallet.Balance.MinorUnits;
        var issued = await trainer.Role.IssueRefundAsync(request.Id, request.Amount, cancellationToken: cancellationToken);
        checks.Check("refunds", "the trainer signed a refund of the whole payment", issued.Status == RefundIssuanceStatus.Issued, issued.Status.ToString());
        if (issued.Refund is not { } refund)
        {
            return;
        }

        var prepared2 = worker.Wallet.PrepareRefundClaim(refund);
        checks.Check("refunds", "the wallet recognised its own payment and prepared a claim with no account", prepared2.Status == RefundClaimPreparationStatus.Ready, prepared2.Status.ToString());
        if (prepared2.Request is not { } claim)
        {
            return;
        }

        var result = await world.Client.ClaimRefundAsync(claim, cancellationToken);
        checks.Check("refunds", "the scheme accepted the claim", result.Status == RefundClaimStatus.Accepted, result.Status.ToString());
        var completed = result.Response is { } response ? worker.Wallet.CompleteRefundClaim(claim, response) : SwapCompletion.BadResponse;
        checks.Check("refunds", "the wallet unblinded and verified the fresh coins", completed == SwapCompletion.Completed, completed.ToString());
        checks.Check("refunds", "the wallet holds the refunded value again", worker.Wallet.Balance.MinorUnits == balanceBefore + refund.Amount.MinorUnits);
        long payableAfter = await world.Operator.GetBalanceAsync(payable, cancellationToken);
        checks.Check("refunds", "the refund came out of the trainer's payable", payableAfter == payableBefore - refund.Amount.MinorUnits, $"{Money.Format(payableBefore)} -> {Money.Format(payableAfter)}");
        world.Figures.Add($"refunded-by:{trainer.Id}", refund.Amount.MinorUnits);

        var again = await world.Client.ClaimRefundAsync(claim, cancellationToken);
        checks.Check("refunds", "a retried claim replays the same answer", again.Response?.Encode().AsSpan().SequenceEqual(result.Response!.Encode()) == true);
        var second = worker.Wallet.PrepareRefundClaim(refund);
        var twice = second.Request is { } other ? await world.Client.ClaimRefundAsync(other, cancellationToken) : null;
        checks.Check("refunds", "a second claim of the same refund is refused and moves nothing", twice?.Status == RefundClaimStatus.AlreadyRefunded
            && await world.Operator.GetBalanceAsync(payable, cancellationToken) == payableAfter, twice?.Status.ToString() ?? second.Status.ToString());
        if (second.Request is { } dropped)
        {
            worker.Wallet.AbandonSwap(dropped.IdempotencyKey);
        }

        var head = await world.Client.GetTreeHeadAsync(cancellationToken);
        world.TreeHeads.Add(head);
        var last = await world.Client.GetLogEntryAsync(head.TreeSize - 1, cancellationToken);
        bool logged = false;
        for (ulong i = head.TreeSize; i > 0 && !logged; i--)
        {
            if (await world.Client.GetLogEntryAsync(i - 1, cancellationToken) is { Kind: LogEntryKind.RefundIssued, Refund: { } record })
            {
                logged = record.Provider == trainer.Role.Record.Id && record.Amount == refund.Amount;
                break;
            }
        }

        checks.Check("refunds", "the log records the refund by provider, amount and coin counts, naming no worker and no coin", logged, last?.Kind.ToString() ?? "");
        Console.WriteLine($"      {trainer.Id} refunded {Money.Format(refund.Amount.MinorUnits)} to an anonymous payer; claim {result.Status}");
    }
}
