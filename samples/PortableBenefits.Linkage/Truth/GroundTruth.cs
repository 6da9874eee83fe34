using System.Globalization;
using System.Text;
using Wallet.Protocol;

namespace PortableBenefits.Linkage.Truth;

/// <summary>
/// The research ground truth of a pilot run: who each worker is, and who made each payment, swap and restore. The pilot
/// writes it with <c>--ground-truth FILE</c>, one tab-separated line per event; it can also be built in memory and
/// handed to <see cref="Reporting.LinkageEvaluation"/> directly.
/// </summary>
/// <remarks>
/// The five line forms, fields separated by one tab, ids in lower-case hexadecimal:
/// <code>
/// profile          &lt;account&gt; &lt;employer&gt; &lt;sector&gt; &lt;region&gt;
/// pay              &lt;step&gt; &lt;account&gt; &lt;provider&gt; &lt;payment-request-hash&gt; &lt;coin-id,coin-id,...&gt;
/// swap             &lt;account&gt; &lt;idempotency-key&gt; &lt;input-coin-id,...&gt;
/// restore-find     &lt;account&gt; &lt;blinded-message,...&gt;
/// restore-arespent &lt;account&gt; &lt;coin-id,...&gt;
/// </code>
/// Empty lines are ignored. The attack never reads this: it only scores the attack's guesses.
/// </remarks>
public sealed class GroundTruth
{
    private readonly List<WorkerProfile> _profiles = [];
    private readonly List<TruePayment> _payments = [];
    private readonly List<TrueSwap> _swaps = [];
    private readonly List<TrueRestoreFind> _restoreFinds = [];
    private readonly List<TrueRestoreSpentCheck> _restoreSpentChecks = [];

    /// <summary>The workers' profiles, in the order added.</summary>
    public IReadOnlyList<WorkerProfile> Profiles => _profiles;

    /// <summary>The payments, in the order added.</summary>
    public IReadOnlyList<TruePayment> Payments => _payments;

    /// <summary>The swaps, in the order added.</summary>
    public IReadOnlyList<TrueSwap> Swaps => _swaps;

    /// <summary>The blinded messages each restoring wallet asked about, in the order added.</summary>
    public IReadOnlyList<TrueRestoreFind> RestoreFinds => _restoreFinds;

    /// <summary>The coin ids each restoring wallet asked about, in the order added.</summary>
    public IReadOnlyList<TrueRestoreSpentCheck> RestoreSpentChecks => _restoreSpentChecks;

    /// <summary>Reads a ground-truth file.</summary>
    /// <param name="path">The file the pilot wrote with <c>--ground-truth</c>.</param>
    /// <returns>The ground truth.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="GroundTruthFormatException">A line is malformed; the exception names it.</exception>
    public static GroundTruth Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Parse(reader);
    }

    /// <summary>Reads ground-truth lines.</summary>
    /// <param name="reader">The lines.</param>
    /// <returns>The ground truth.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reader"/> is null.</exception>
    /// <exception cref="GroundTruthFormatException">A line is malformed; the exception names it.</exception>
    public static GroundTruth Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var truth = new GroundTruth();
        int number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length > 0)
            {
                GroundTruthLine.Read(line, number, truth);
            }
        }

        return truth;
    }

    /// <summary>Adds a worker's profile.</summary>
    /// <param name="profile">The profile.</param>
    /// <exception cref="ArgumentNullException"><paramref name="profile"/> is null.</exception>
    /// <exception cref="ArgumentException">A text field is empty or holds a tab or line break.</exception>
    public void Add(WorkerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        GroundTruthLine.RequireToken(profile.Employer, nameof(profile));
        GroundTruthLine.RequireToken(profile.Sector, nameof(profile));
        GroundTruthLine.RequireToken(profile.Region, nameof(profile));
        _profiles.Add(profile);
    }

    /// <summary>Adds a payment.</summary>
    /// <param name="payment">The payment.</param>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is null.</exception>
    /// <exception cref="ArgumentException">The step is empty or holds a tab or line break, or no coin is listed.</exception>
    public void Add(TruePayment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        GroundTruthLine.RequireToken(payment.Step, nameof(payment));
        GroundTruthLine.RequireCoins(payment.Coins, nameof(payment));
        _payments.Add(payment);
    }

    /// <summary>Adds a swap.</summary>
    /// <param name="swap">The swap.</param>
    /// <exception cref="ArgumentNullException"><paramref name="swap"/> is null.</exception>
    /// <exception cref="ArgumentException">No input coin is listed.</exception>
    public void Add(TrueSwap swap)
    {
        ArgumentNullException.ThrowIfNull(swap);
        GroundTruthLine.RequireCoins(swap.Inputs, nameof(swap));
        _swaps.Add(swap);
    }

    /// <summary>Adds the blinded messages a restoring wallet asked about.</summary>
    /// <param name="restore">The request.</param>
    /// <exception cref="ArgumentNullException"><paramref name="restore"/> or its list is null.</exception>
    public void Add(TrueRestoreFind restore)
    {
        ArgumentNullException.ThrowIfNull(restore);
        ArgumentNullException.ThrowIfNull(restore.BlindedMessages, nameof(restore));
        _restoreFinds.Add(restore);
    }

    /// <summary>Adds the coin ids a restoring wallet asked about.</summary>
    /// <param name="restore">The request.</param>
    /// <exception cref="ArgumentNullException"><paramref name="restore"/> or its list is null.</exception>
    public void Add(TrueRestoreSpentCheck restore)
    {
        ArgumentNullException.ThrowIfNull(restore);
        ArgumentNullException.ThrowIfNull(restore.Coins, nameof(restore));
        _restoreSpentChecks.Add(restore);
    }

    /// <summary>Writes the ground truth in the file format <see cref="Parse"/> reads: profiles, payments, swaps, then restores.</summary>
    /// <param name="writer">Where the lines go.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var p in _profiles)
        {
            writer.Write(Line("profile", p.Account.Value, p.Employer, p.Sector, p.Region));
        }

        foreach (var p in _payments)
        {
            writer.Write(Line("pay", p.Step, p.Account.Value, p.Provider.Value, p.Payment.ToString(), Ids(p.Coins)));
        }

        foreach (var s in _swaps)
        {
            writer.Write(Line("swap", s.Account.Value, s.IdempotencyKey.Value, Ids(s.Inputs)));
        }

        foreach (var r in _restoreFinds)
        {
            writer.Write(Line("restore-find", r.Account.Value, string.Join(',', r.BlindedMessages.Select(m => Convert.ToHexStringLower(m.AsSpan())))));
        }

        foreach (var r in _restoreSpentChecks)
        {
            writer.Write(Line("restore-arespent", r.Account.Value, Ids(r.Coins)));
        }
    }

    /// <summary>The worker profiles by account (the last one wins when an account appears twice).</summary>
    internal Dictionary<AccountId, WorkerProfile> ProfilesByAccount()
    {
        var byAccount = new Dictionary<AccountId, WorkerProfile>();
        foreach (var profile in _profiles)
        {
            byAccount[profile.Account] = profile;
        }

        return byAccount;
    }

    private static string Ids(IEnumerable<CoinId> coins) => string.Join(',', coins.Select(c => c.ToString()));

    private static string Line(params string[] fields) => string.Join('\t', fields) + "\n";

    /// <summary>Counts per line form, for reports.</summary>
    /// <returns>A one-line summary.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"GroundTruth({_profiles.Count} profiles, {_payments.Count} payments, {_swaps.Count} swaps, {_restoreFinds.Count + _restoreSpentChecks.Count} restore requests)");
}
