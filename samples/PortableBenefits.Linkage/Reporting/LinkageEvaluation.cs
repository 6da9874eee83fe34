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

    /// <summary>
    /// Attacks a pilot's stored data with the standard signal sets, scoring at most <paramref name="maxPayments"/> deposited
    /// payments: every k-th in the scheme's order, a deterministic sample that keeps a large pilot's evaluation short.
    /// The attacker still sees everything; only the payments it is scored on are sampled.
    /// </summary>
    /// <param name="dataDirectory">The pilot's <c>--data-dir</c>: ledger.db, scheme.db and log.db. The files are copied, never changed.</param>
    /// <param name="truth">The run's ground truth.</param>
    /// <param name="maxPayments">The most payments scored; positive.</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    /// <returns>The report; <see cref="LinkageReport.PaymentsWithTruth"/> counts the payments scored.</returns>
    /// <exception cref="ArgumentException"><paramref name="dataDirectory"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="truth"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPayments"/> is not positive.</exception>
    /// <exception cref="FileNotFoundException">One of the three files is missing.</exception>
    /// <exception cref="Wallet.Protocol.Ledger.LedgerStoreException">The ledger file cannot be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<LinkageReport> RunSampledAsync(string dataDirectory, GroundTruth truth, int maxPayments, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPayments);
        var observations = await SchemeObservationsLoader.LoadAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
        return Evaluate(observations, truth, SignalSet.Standard, new AttackSettings(), maxPayments);
    }

    internal static LinkageReport Evaluate(SchemeObservations observations, GroundTruth truth, IReadOnlyList<SignalSet> signalSets, AttackSettings settings, int maxPayments = int.MaxValue)
    {
        var sets = signalSets.Any(s => s.Name == SignalSet.SectorOnlyName) ? signalSets : [.. signalSets, new SignalSet(SignalSet.SectorOnlyName, LinkageSignals.Sector)];
        var tallies = sets.Select(s => new SignalSetTally(s)).ToList();
        var payers = new Dictionary<Wallet.Protocol.Payments.PaymentId, Wallet.Protocol.AccountId>();
        foreach (var payment in truth.Payments)
        {
            payers.TryAdd(payment.Payment, payment.Account);
        }

        // One attacker per core (an attacker keeps scratch state); payments are examined in parallel a batch at a time
        // and tallied in payment order, so the report does not depend on the number of cores.
        int workers = Math.Max(1, Environment.ProcessorCount);
        var attackers = Enumerable.Range(0, workers).Select(_ => new LinkageAttack(observations, truth, settings)).ToArray();
        var attack = attackers[0];
        var known = observations.Payments.Where(p => payers.ContainsKey(p.Id)).ToList();
        if (known.Count > maxPayments)
        {
            int stride = (known.Count + maxPayments - 1) / maxPayments;
            known = [.. known.Where((_, i) => i % stride == 0)];
        }

        int scored = 0;
        const int BatchSize = 256;
        var evidence = new PaymentEvidence[BatchSize];
        for (int start = 0; start < known.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, known.Count - start);
            Parallel.For(0, workers, w =>
            {
                for (int i = w; i < count; i += workers)
                {
                    evidence[i] = attackers[w].Examine(known[start + i]);
                }
            });

            for (int i = 0; i < count; i++)
            {
                if (evidence[i].Candidates.Count == 0)
                {
                    continue;
                }

                scored++;
                var payer = payers[known[start + i].Id];
                foreach (var tally in tallies)
                {
                    tally.Add(evidence[i], payer);
                }
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
                || attack.Examine(swap) is not { Candidates.Count: > 0 } swapEvidence)
            {
                continue;
            }

            swapsScored++;
            foreach (var tally in swapTallies)
            {
                tally.Add(swapEvidence, swapper);
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
