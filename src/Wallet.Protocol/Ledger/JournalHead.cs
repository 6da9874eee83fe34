namespace Wallet.Protocol.Ledger;

/// <summary>The last entry of the journal: its sequence number (0 when empty) and hash (<see cref="EntryHash.Genesis"/> when empty).</summary>
/// <param name="Sequence">The sequence number of the last entry; the next entry gets <c>Sequence + 1</c>.</param>
/// <param name="Hash">The hash the next entry chains to.</param>
public sealed record JournalHead(long Sequence, EntryHash Hash)
{
    /// <summary>The head of an empty journal.</summary>
    public static JournalHead Empty { get; } = new(0, EntryHash.Genesis);
}
