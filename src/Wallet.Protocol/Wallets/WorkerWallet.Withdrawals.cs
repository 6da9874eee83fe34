namespace Wallet.Protocol.Wallets;

/// <summary>Withdrawal and restore from the seed (DESIGN.md section 3 flows 2 and 7).</summary>
public sealed partial class WorkerWallet
{
    /// <summary>
    /// Withdrawal requests prepared but not completed. After a crash or a lost response, send the same request again:
    /// the scheme replays its stored response and <see cref="CompleteWithdrawal"/> finishes it.
    /// </summary>
    public IReadOnlyList<WithdrawalRequest> PendingWithdrawals =>
        Read<IReadOnlyList<WithdrawalRequest>>(s => [.. s.PendingWithdrawals.Values.Select(p => p.Request).OrderBy(r => r.IdempotencyKey.Value, StringComparer.Ordinal)]);

    /// <summary>Builds a signed withdrawal request for one coin per listed keyset, allocating fresh seed counters.</summary>
    /// <param name="key">The idempotency key; resend the same request with it after a lost response.</param>
    /// <param name="keysets">The keyset of each coin (repeat a keyset for several coins).</param>
    /// <returns>The request to send to the scheme.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A keyset is not trusted, the list is empty or too long, or the key is pending.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public WithdrawalRequest PrepareWithdrawal(IdempotencyKey key, IReadOnlyList<KeysetId> keysets)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(keysets);
        if (keysets.Count is 0 or > WithdrawalRequest.MaxItems)
        {
            throw new ArgumentException("A withdrawal has 1 to 1024 coins.", nameof(keysets));
        }

        ThrowIfDisposed();
        return _withdraw.Prepare(key, keysets);
    }

    /// <summary>
    /// The uniform-withdrawal policy: the whole <paramref name="balance"/> in the canonical split (greedy over the
    /// trusted, currently withdrawable general-fund keysets, largest denomination first), so that withdrawals carry
    /// no signal about intent. A remainder below the smallest denomination stays in the account.
    /// </summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="balance">The account balance to withdraw.</param>
    /// <returns>The request, or why not: <see cref="WithdrawalPreparationStatus.NoWithdrawableKeyset"/> or <see cref="WithdrawalPreparationStatus.NothingToWithdraw"/> (the balance is below every denomination).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException">The key is pending or the split needs more than 1024 coins.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public WithdrawalPreparation PrepareUniformWithdrawal(IdempotencyKey key, Amount balance)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        return _withdraw.PrepareUniform(key, balance);
    }

    /// <summary>
    /// Unblinds and verifies every coin of a response (RFC 9474 section 4.4) and checks the signed receipt.
    /// Nothing is kept unless every check passes.
    /// </summary>
    /// <param name="request">The request that was sent.</param>
    /// <param name="response">The scheme's response.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public WithdrawalCompletion CompleteWithdrawal(WithdrawalRequest request, WithdrawalResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        ThrowIfDisposed();
        return _withdraw.Complete(request, response);
    }

    /// <summary>
    /// Drops a pending withdrawal that the scheme refused for good, given the scheme's answer to it. An answer that does
    /// not rule out a committed debit (<see cref="WithdrawalStatus.Issued"/>, <see cref="WithdrawalStatus.SigningKeyUnavailable"/>)
    /// is refused with <see cref="WithdrawalAbandonment.MayBeDebited"/>: resend the same request and complete it. With no
    /// answer at all (a lost response, a transport failure), do not call this: resend. There is no way to force it; the
    /// coins' seed counters stay used, so a restore (docs/PROTOCOL.md section 5.7) would still find coins that were issued.
    /// </summary>
    /// <param name="key">The idempotency key of the pending withdrawal.</param>
    /// <param name="answer">The scheme's status for that request.</param>
    /// <returns>Whether it was dropped, or why not.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public WithdrawalAbandonment AbandonWithdrawal(IdempotencyKey key, WithdrawalStatus answer)
    {
        ArgumentNullException.ThrowIfNull(key);
        ThrowIfDisposed();
        return _withdraw.Abandon(key, answer);
    }

    /// <summary>
    /// Drops a pending withdrawal the scheme reversed (a keyset of it can never sign again; the debit went back to the
    /// account), once the scheme's signed reversal receipt verifies for the pending request.
    /// </summary>
    /// <param name="request">The request that was sent.</param>
    /// <param name="reversal">The scheme's reversal receipt (<see cref="WithdrawalStatus.Reversed"/>).</param>
    /// <returns><see cref="WithdrawalCompletion.Completed"/> (dropped), <see cref="WithdrawalCompletion.UnknownRequest"/> or <see cref="WithdrawalCompletion.BadReceipt"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    /// <remarks>docs/PROTOCOL.md section 5.3.</remarks>
    public WithdrawalCompletion CompleteReversedWithdrawal(WithdrawalRequest request, WithdrawalReversalReceipt reversal)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reversal);
        ThrowIfDisposed();
        return _withdraw.CompleteReversed(request, reversal);
    }

    /// <summary>Re-derives the blinded messages of counters [<paramref name="firstCounter"/>, +<paramref name="count"/>) of a keyset, to ask the scheme for their stored signatures (restore).</summary>
    /// <param name="keyset">A trusted keyset.</param>
    /// <param name="firstCounter">The first counter.</param>
    /// <param name="count">How many, 1 to 1024.</param>
    /// <returns>The blinded messages, in counter order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    /// <exception cref="ArgumentException">The keyset is not trusted.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public IReadOnlyList<BlindedMessage> PrepareRestore(KeysetId keyset, ulong firstCounter, int count)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, WithdrawalRequest.MaxItems);
        ThrowIfDisposed();
        return _restore.Prepare(keyset, firstCounter, count);
    }

    /// <summary>Unblinds the signatures the scheme returned for <see cref="PrepareRestore"/>; verified coins are added and the counter moves past the last one found.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <param name="firstCounter">The first counter passed to <see cref="PrepareRestore"/>.</param>
    /// <param name="signatures">The scheme's answers, null where nothing was issued.</param>
    /// <returns>The number of coins recovered.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The keyset is not trusted.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public int CompleteRestore(KeysetId keyset, ulong firstCounter, IReadOnlyList<BlindSignature?> signatures)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ArgumentNullException.ThrowIfNull(signatures);
        ThrowIfDisposed();
        return _restore.Complete(keyset, firstCounter, signatures);
    }

    /// <summary>Marks coins the scheme reported as spent (restore).</summary>
    /// <param name="coins">The coin ids asked about.</param>
    /// <param name="spent">The scheme's answer per coin.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public void MarkSpent(IReadOnlyList<CoinId> coins, IReadOnlyList<bool> spent)
    {
        ArgumentNullException.ThrowIfNull(coins);
        ArgumentNullException.ThrowIfNull(spent);
        if (coins.Count != spent.Count)
        {
            throw new ArgumentException("One flag per coin.", nameof(spent));
        }

        _restore.MarkSpent(coins, spent);
    }
}
