namespace Wallet.Protocol.Ledger;

/// <summary>
/// The report of <see cref="SchemeLedger.VerifyAsync(IReadOnlyDictionary{KeysetId, string}, CancellationToken)"/>: the journal was replayed from the first entry, its
/// hash chain checked, balances and keyset counters rebuilt by folding it, and the result compared with the
/// store's materialised state, spent-coin set and idempotency outcomes, and with the invariants of DESIGN.md
/// section 4.
/// </summary>
/// <param name="EntryCount">Entries replayed.</param>
/// <param name="Head">The head reached by the replay.</param>
/// <param name="AccountCount">Accounts with a non-zero rebuilt balance.</param>
/// <param name="Problems">Every violation found (at most 100), each naming the entry, account or keyset.</param>
public sealed record LedgerVerification(long EntryCount, JournalHead Head, int AccountCount, IReadOnlyList<string> Problems)
{
    /// <summary>Whether the journal, the materialised state and every invariant agree.</summary>
    public bool IsValid => Problems.Count == 0;
}
