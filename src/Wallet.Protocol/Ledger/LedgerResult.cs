namespace Wallet.Protocol.Ledger;

/// <summary>The result of a ledger operation. Expected refusals (insufficient funds, double spend, ...) are results, not exceptions.</summary>
public sealed class LedgerResult
{
    internal LedgerResult(LedgerStatus status, JournalEntry? entry, IReadOnlyList<CoinConflict> conflicts, bool isReplay)
    {
        (Status, Entry, Conflicts, IsReplay) = (status, entry, conflicts, isReplay);
    }

    /// <summary>The outcome.</summary>
    public LedgerStatus Status { get; }

    /// <summary>Whether the operation moved value (<see cref="LedgerStatus.Applied"/>).</summary>
    public bool Succeeded => Status == LedgerStatus.Applied;

    /// <summary>The journal entry written, or <see langword="null"/> when nothing moved.</summary>
    public JournalEntry? Entry { get; }

    /// <summary>
    /// Coins refused because an earlier entry spent them, with that entry's sequence number. A deposit may be
    /// <see cref="LedgerStatus.Applied"/> for its other coins and still list conflicts here.
    /// </summary>
    public IReadOnlyList<CoinConflict> Conflicts { get; }

    /// <summary>
    /// Whether this result was returned from the stored outcome of an earlier attempt with the same idempotency
    /// key (the first response may have been lost). Everything else is identical to the first result.
    /// </summary>
    public bool IsReplay { get; }

    /// <summary>Returns the status, entry sequence and conflict count.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() =>
        $"{Status} entry={Entry?.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"} conflicts={Conflicts.Count}{(IsReplay ? " (replay)" : "")}";
}
