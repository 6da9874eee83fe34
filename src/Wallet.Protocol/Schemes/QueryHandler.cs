namespace Wallet.Protocol.Schemes;

/// <summary>
/// The scheme's read-only answers: the restore queries of flow 7 (issued blind signatures, spent coins) and reads
/// of the transparency log (tree heads, proofs, entries).
/// </summary>
internal sealed class QueryHandler(SchemeContext context, IWithdrawalStore withdrawals, ILogRecordStore logRecords)
{
    /// <summary>
    /// Looks up the blind signatures issued for blinded messages (flow 7, restore). Unknown messages give null.
    /// </summary>
    /// <param name="blindedMessages">The re-derived blinded messages.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One entry per message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="blindedMessages"/> is null.</exception>
    public async Task<IReadOnlyList<BlindSignature?>> FindBlindSignaturesAsync(IReadOnlyList<BlindedMessage> blindedMessages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blindedMessages);
        var found = new BlindSignature?[blindedMessages.Count];
        for (int i = 0; i < found.Length; i++)
        {
            found[i] = await withdrawals.FindBlindSignatureAsync(blindedMessages[i], cancellationToken).ConfigureAwait(false);
        }

        return found;
    }

    /// <summary>Reports which coins are already spent (flow 7, restore).</summary>
    /// <param name="coins">The coin ids.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One flag per coin.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="coins"/> is null.</exception>
    public async Task<IReadOnlyList<bool>> AreSpentAsync(IReadOnlyList<CoinId> coins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(coins);
        var spent = new bool[coins.Count];
        for (int i = 0; i < spent.Length; i++)
        {
            spent[i] = await context.Ledger.FindSpentAsync(coins[i], cancellationToken).ConfigureAwait(false) is not null;
        }

        return spent;
    }

    /// <summary>Signs the current tree head of the transparency log.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The signed tree head.</returns>
    public async Task<SignedTreeHead> GetTreeHeadAsync(CancellationToken cancellationToken = default) =>
        await context.Log.SignTreeHeadAsync(context.SchemeKey, context.Time, cancellationToken).ConfigureAwait(false);

    /// <summary>An inclusion proof for a log entry.</summary>
    /// <param name="index">The entry index.</param>
    /// <param name="treeSize">The tree size to prove against.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index or size is outside the log.</exception>
    public async Task<InclusionProof> GetInclusionProofAsync(ulong index, ulong treeSize, CancellationToken cancellationToken = default) =>
        await context.Log.GetInclusionProofAsync(index, treeSize, cancellationToken).ConfigureAwait(false);

    /// <summary>A consistency proof between two tree sizes.</summary>
    /// <param name="oldSize">The older size.</param>
    /// <param name="newSize">The newer size.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside the log.</exception>
    public async Task<ConsistencyProof> GetConsistencyProofAsync(ulong oldSize, ulong newSize, CancellationToken cancellationToken = default) =>
        await context.Log.GetConsistencyProofAsync(oldSize, newSize, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a log entry.</summary>
    /// <param name="index">The entry index.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry, or null past the end.</returns>
    public async Task<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken = default) =>
        await logRecords.GetLogEntryAsync(index, cancellationToken).ConfigureAwait(false);
}
