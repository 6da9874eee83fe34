using PortableBenefits.Linkage.Attack;
using PortableBenefits.Linkage.Observations;
using PortableBenefits.Linkage.Truth;

namespace PortableBenefits.Linkage.Reporting;

/// <summary>
/// Plays the scheme: reads what it stores in a pilot's data directory, tries to name the worker behind each deposited
/// payment with every signal set, and scores the guesses against the ground truth (issue 16, "Privacy measured, not
/// claimed"). Deterministic: the same files and ground truth give the same report.
/// </summary>
public static class LinkageEvaluation
{
    /// <summary>Attacks a pilot's stored data with <see cref="SignalSet.Standard"/>.</summary>
    /// <param name="dataDirectory">The pilot's <c>--data-dir</c>: ledger.db, scheme.db and log.db. The files are copied, never changed.</param>
    /// <param name="truth">The run's ground truth (loaded with <see cref="GroundTruth.Load"/> or built in memory).</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException"><paramref name="dataDirectory"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="truth"/> is null.</exception>
    /// <exception cref="FileNotFoundException">One of the three files is missing (a pilot run with --postgres keeps its ledger elsewhere).</exception>
    /// <exception cref="Wallet.Protocol.Ledger.LedgerStoreException">The ledger file cannot be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<LinkageReport> RunAsync(string dataDirectory, GroundTruth truth, CancellationToken cancellationToken = default) =>
        RunAsync(dataDirectory, truth, SignalSet.Standard, cancellationToken);

    /// <summary>Attacks a pilot's stored data with the given signal sets (the sector-only guess is added when missing).</summary>
    /// <param name="dataDirectory">The pilot's <c>--data-dir</c>: ledger.db, scheme.db and log.db. The files are copied, never changed.</param>
    /// <param name="truth">The run's ground truth.</param>
    /// <param name="signalSets">The signal sets to score, in report order.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException"><paramref name="dataDirectory"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="truth"/> or <paramref name="signalSets"/> is null.</exception>
    /// <exception cref="FileNotFoundException">One of the three files is missing.</exception>
    /// <exception cref="Wallet.Protocol.Ledger.LedgerStoreException">The ledger file cannot be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<LinkageReport> RunAsync(string dataDirectory, GroundTruth truth, IReadOnlyList<SignalSet> signalSets, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(signalSets);
        var observations = await SchemeObservationsLoader.LoadAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
        return Evaluate(observations, truth, signalSets, new AttackSettings());
    }

    internal static LinkageReport Evaluate(SchemeObservations observations, GroundTruth truth, IReadOnlyList<SignalSet> signalSets, AttackSettings settings)
    {
        var sets = signalSets.Any(s => s.Name == SignalSet.SectorOnlyName) ? signalSets : [.. signalSets, new SignalSet(SignalSet.SectorOnlyName, LinkageSignals.Sector)];
        var tallies = sets.Select(s => new SignalSetTally(s)).ToList();
        var payers = new Dictionary<Wallet.Protocol.Payments.PaymentId, Wallet.Protocol.AccountId>();
        foreach (var payment in truth.Payments)
        {
            payers.TryAdd(payment.Payment, payment.Account);
        }

        var attack = new LinkageAttack(observations, truth, settings);
        int scored = 0;
        foreach (var payment in observations.Payments)
        {
            if (!payers.TryGetValue(payment.Id, out var payer))
            {
                continue;
            }

            var evidence = attack.Examine(payment);
            if (evidence.Candidates.Count == 0)
            {
                continue;
            }

            scored++;
            foreach (var tally in tallies)
            {
                tally.Add(evidence, payer);
            }
        }

        // Who made each anonymous swap: the ground truth names the wallet behind each swap's input coins.
        var swappers = new Dictionary<Wallet.Protocol.CoinId, Wallet.Protocol.AccountId>();
        foreach (var swap in truth.Swaps)
        {
            foreach (var coin in swap.Inputs)
            {
                swappers.TryAdd(coin, swap.Account);
            }
        }

        var swapTallies = SignalSet.Swaps.Select(s => new SignalSetTally(s)).ToList();
        int swapsScored = 0;
        foreach (var swap in observations.Swaps)
        {
            if (swap.Inputs.Select(c => swappers.GetValueOrDefault(c.Id)).FirstOrDefault(a => a is not null) is not { } swapper
                || attack.Examine(swap) is not { Candidates.Count: > 0 } evidence)
            {
                continue;
            }

            swapsScored++;
            foreach (var tally in swapTallies)
            {
                tally.Add(evidence, swapper);
            }
        }

        return new LinkageReport(observations.Payments.Count, scored, [.. tallies.Select(t => t.Result())])
        {
            SwapsObserved = observations.Swaps.Count,
            SwapsWithTruth = swapsScored,
            SwapResults = [.. swapTallies.Select(t => t.Result())],
        };
    }
}
