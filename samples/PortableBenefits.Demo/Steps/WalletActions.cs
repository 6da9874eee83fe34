using System.Security.Cryptography;
using PortableBenefits.Demo.Pilot;
using Wallet.Protocol;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// What a worker's app does at one planned moment of the month: withdraw (flow 2, uniform split),
/// keep change ahead of need, or pay a provider (flow 3), falling back to an immediate swap for exact change only when it
/// must.
/// </summary>
internal sealed class WalletActions(PilotWorld world, EpochKeysets keysets, LogView view, ActivityTally tally)
{
    /// <summary>
    /// The value a wallet that needs small coins keeps in them: one 5.00 coin broken at an idle moment covers the
    /// association's 2.00 and a legal session's 3.00. Holding small coins in every wallet's withdrawal instead would
    /// cost every worker four more blind signatures a month (it doubled the coins the pilot signed), for the few whose
    /// payments need them; a payment the reserve does not cover falls back to an immediate swap, counted.
    /// </summary>
    public static readonly Amount ChangeReserve = Amount.FromMinorUnits(500);

    private readonly IReadOnlyCollection<KeysetDescriptor> _allKeysets = world.AllKeysets;
    private readonly Dictionary<KeysetId, KeysetDescriptor> _byKeyset = world.AllKeysets.ToDictionary(k => k.Id);
    private readonly KeysetId[] _changeKeysets = [keysets.General500.Id, keysets.General100.Id];
    private readonly KeysetId[] _trainingKeysets = [keysets.Training500.Id];

    public Task RunAsync(ActivityEvent activity, CancellationToken cancellationToken) => activity.Kind switch
    {
        ActivityKind.Withdraw => WithdrawAsync(activity.Worker, cancellationToken),
        ActivityKind.ChangeAhead => ChangeAheadAsync(activity.Worker, cancellationToken),
        ActivityKind.Dues => PayDuesAsync(activity.Worker, activity.Provider!, cancellationToken),
        _ => PayAsync(activity.Worker, activity.Provider!, activity.Purpose!, cancellationToken),
    };

    /// <summary>
    /// Syncs with the log and withdraws the whole balance in one request: the training levy as training coins, the rest
    /// in the uniform split (largest denomination first). The split depends on the balance only, so it says nothing
    /// about what the worker will buy; small coins for the payments that need them come from a swap at an idle moment
    /// (<see cref="ActivityKind.ChangeAhead"/>), never from this request or in its sitting.
    /// </summary>
    private async Task WithdrawAsync(PilotWorker worker, CancellationToken cancellationToken)
    {
        if (!await view.SyncAsync(worker.Wallet, cancellationToken))
        {
            Interlocked.Increment(ref tally.SyncFailures);
            return;
        }

        // The account statement the app shows (read here through the operator surface: PB/1 has no wallet-facing balance endpoint).
        // Per fund (docs/PROTOCOL.md 5.22): training coins from the training sub-balance, general coins from the general one.
        long balance = await world.Operator.GetBalanceAsync(LedgerAccount.Worker(worker.Account), cancellationToken);
        long trainingBalance = await world.Operator.GetBalanceAsync(LedgerAccount.WorkerFund(worker.Account, FundsTableStep.Training), cancellationToken);
        long large = keysets.General500.Denomination.MinorUnits, small = keysets.General100.Denomination.MinorUnits;
        int training = (int)(trainingBalance / keysets.Training500.Denomination.MinorUnits);
        long general = balance / small * small;
        long change = general % large;
        KeysetId[] coins =
        [
            .. Enumerable.Repeat(keysets.Training500.Id, training),
            .. Enumerable.Repeat(keysets.General500.Id, (int)((general - change) / large)),
            .. Enumerable.Repeat(keysets.General100.Id, (int)(change / small)),
        ];
        if (coins.Length > 0 && !await WithdrawAsync(worker, worker.Wallet.PrepareWithdrawal(WithdrawalKey(worker, "month"), coins), cancellationToken))
        {
            Interlocked.Increment(ref tally.WithdrawalsRefused);
        }

        Interlocked.Increment(ref tally.Withdrawals);
    }

    private IdempotencyKey WithdrawalKey(PilotWorker worker, string purpose) => new($"withdraw-{keysets.Epoch}-{purpose}-{worker.Account}");

    private async Task<bool> WithdrawAsync(PilotWorker worker, WithdrawalRequest request, CancellationToken cancellationToken)
    {
        var result = await world.Client.WithdrawAsync(request, cancellationToken);
        if (result.Status != WithdrawalStatus.Issued || worker.Wallet.CompleteWithdrawal(request, result.Response!) != WithdrawalCompletion.Completed)
        {
            return false;
        }

        foreach (var item in request.Items)
        {
            var descriptor = _byKeyset[item.Keyset];
            world.Figures.Add($"fund:{descriptor.Fund}", descriptor.Denomination.MinorUnits);
            world.Figures.Add($"coins:{descriptor.Fund}", 1);
        }

        long total = result.Response!.Receipt.Total.MinorUnits;
        worker.WithdrawnTotal += total;
        if (worker == world.Workers.First(w => !w.Inactive) && request.Items.Any(i => _byKeyset[i.Keyset].Fund == KeysetDescriptor.GeneralFund))
        {
            world.Figures.SampleRows.TryAdd(
                "scheme",
                ["scheme ledger + log", $"{worker.Account} withdrew {Money.Format(total)} as {request.Items.Length} blinded coins on {request.CreatedAt:yyyy-MM-dd}", "who withdrew how much; never the coin ids"]);
        }

        return true;
    }

    /// <summary>Change ahead of need (docs/PROTOCOL.md 5.10): small general-fund coins worth the reserve, swapped outside any payment's sitting.</summary>
    private async Task ChangeAheadAsync(PilotWorker worker, CancellationToken cancellationToken)
    {
        var key = SwapKey();
        var prepared = worker.Wallet.PrepareChangeAhead(key, _changeKeysets, ChangeReserve);
        if (prepared.Request is not { } swap)
        {
            // Nothing to do (ChangeNotNeeded) or nothing to break (InsufficientCoins); NoExactSplit cannot happen with a 1.00 coin.
            Interlocked.Increment(ref prepared.Status is SwapPreparationStatus.ChangeNotNeeded or SwapPreparationStatus.InsufficientCoins ? ref tally.ChangeAheadNotNeeded : ref tally.ChangeAheadFailures);
            return;
        }

        Interlocked.Increment(ref await SendSwapAsync(worker, swap, cancellationToken) ? ref tally.ChangeAheadSwaps : ref tally.ChangeAheadFailures);
    }

    /// <summary>Pays a provider; when no exact coins are at hand, swaps for exact change at once and says so.</summary>
    private async Task PayAsync(PilotWorker worker, PilotProvider provider, string purpose, CancellationToken cancellationToken)
    {
        var request = await provider.Role.CreatePaymentRequestAsync(Amount.FromMinorUnits(provider.Price), purpose, TimeSpan.FromHours(1), cancellationToken);
        var prepared = worker.Wallet.PreparePayment(request, world.Registry);
        if (prepared.Status == PaymentPreparationStatus.NoExactCoins && prepared.ChangeAvailable)
        {
            // The fallback (PROTOCOL.md 5.8): break larger coins of the fund the payment will use, then pay. This swap
            // shares the payment's sitting, so the pilot counts it.
            Interlocked.Increment(ref tally.ImmediateSwaps);
            if (!await MakeChangeAsync(worker, request.Amount, provider.Category == "training" ? [_trainingKeysets, _changeKeysets] : [_changeKeysets], cancellationToken))
            {
                Interlocked.Increment(ref tally.ImmediateSwapFailures);
                return;
            }

            prepared = worker.Wallet.PreparePayment(request, world.Registry);
        }

        if (prepared.Status != PaymentPreparationStatus.Ready)
        {
            // Not enough value the provider may redeem is an ordinary outcome (the worker spent it already); anything else is a fault.
            Interlocked.Increment(ref prepared is { Status: PaymentPreparationStatus.NoExactCoins, ChangeAvailable: false } ? ref tally.ShortOfFunds : ref tally.OtherRefusals);
            return;
        }

        await SubmitAsync(worker, provider, request, prepared.Spends, purpose, cancellationToken);
    }

    // Hands the spends to the provider and, once it accepts them, records the payment (ground truth, tallies, figures).
    private async Task<bool> SubmitAsync(PilotWorker worker, PilotProvider provider, PaymentRequest request, IReadOnlyList<CoinSpend> spends, string purpose, CancellationToken cancellationToken)
    {
        world.Payers[request.Id] = worker;
        if (await provider.Role.VerifyPaymentAsync(request, spends, _allKeysets, cancellationToken) != PaymentVerification.Accepted)
        {
            world.Payers.TryRemove(request.Id, out _);
            Interlocked.Increment(ref tally.RefusedByProvider);
            return false;
        }

        world.GroundTruth.Pay(world.CurrentStep, worker, request, spends.Select(s => s.Coin.Id));
        Interlocked.Increment(ref tally.Paid);
        world.Figures.Add($"paid:{provider.Category}", provider.Price);
        world.Figures.Add("payments", 1);
        if (provider.Category == "union")
        {
            world.Figures.SampleRows.TryAdd(
                "provider",
                [$"{provider.Id} till", $"{Money.Format(provider.Price)} for {purpose}: {spends.Count} coin(s) {spends[0].Coin.Id.ToString()[..12]}... on {world.Clock.Now:yyyy-MM-dd HH:mm}", "what was paid and the coins; never the worker"]);
        }

        return true;
    }

    // The wallet's due mandate periods, oldest first (arrears before the current period): the union issues the request
    // bound to (mandate, period), the wallet checks the binding and pays it like any payment. Short of funds, the period
    // stays in arrears and is due again when value arrives.
    private async Task PayDuesAsync(PilotWorker worker, PilotProvider union, CancellationToken cancellationToken)
    {
        foreach (var due in worker.Wallet.DueMandatePayments(world.Clock.Now))
        {
            var request = await union.Role.CreateMandatePaymentRequestAsync(due.Mandate.Id, due.Period, TimeSpan.FromHours(1), cancellationToken);
            if (request is null)
            {
                Interlocked.Increment(ref tally.OtherRefusals);
                return;
            }

            var prepared = worker.Wallet.PrepareMandatePayment(due.Mandate.Id, due.Period, request, world.Registry);
            if (prepared.Status == PaymentPreparationStatus.NoExactCoins && prepared.ChangeAvailable)
            {
                Interlocked.Increment(ref tally.ImmediateSwaps);
                if (!await MakeChangeAsync(worker, request.Amount, [_changeKeysets], cancellationToken))
                {
                    Interlocked.Increment(ref tally.ImmediateSwapFailures);
                    return;
                }

                prepared = worker.Wallet.PrepareMandatePayment(due.Mandate.Id, due.Period, request, world.Registry);
            }

            if (prepared.Status != PaymentPreparationStatus.Ready)
            {
                Interlocked.Increment(ref tally.DuesShort);
                return;
            }

            if (!await SubmitAsync(worker, union, request, prepared.Spends, due.Mandate.PurposeFor(due.Period), cancellationToken))
            {
                return;
            }

            Interlocked.Increment(ref tally.DuesPaid);
        }
    }

    /// <summary>Swaps for exact change in the first of <paramref name="targets"/> (one fund each) whose coins reach the amount.</summary>
    private async Task<bool> MakeChangeAsync(PilotWorker worker, Amount amount, IReadOnlyList<KeysetId[]> targets, CancellationToken cancellationToken)
    {
        foreach (var target in targets)
        {
            if (worker.Wallet.PrepareChange(SwapKey(), amount, target).Request is { } swap)
            {
                return await SendSwapAsync(worker, swap, cancellationToken);
            }
        }

        return false;
    }

    /// <summary>A swap names no account, so its key is random: a key naming the worker would link the new coins to them.</summary>
    private static IdempotencyKey SwapKey() => new($"swap-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}");

    private async Task<bool> SendSwapAsync(PilotWorker worker, SwapRequest swap, CancellationToken cancellationToken)
    {
        world.GroundTruth.Swap(worker, swap.IdempotencyKey, swap.Inputs.Select(c => c.Id));
        var result = await world.Client.SwapAsync(swap, cancellationToken);
        if (result.Status == SwapStatus.Swapped && worker.Wallet.CompleteSwap(swap, result.Response!) == SwapCompletion.Completed)
        {
            return true;
        }

        // Refused outright: release the reserved input coins so they can still be spent.
        worker.Wallet.AbandonSwap(swap.IdempotencyKey);
        return false;
    }
}
