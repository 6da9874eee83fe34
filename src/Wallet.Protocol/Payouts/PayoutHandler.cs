namespace Wallet.Protocol.Payouts;

/// <summary>
/// The scheme's side of a payout (docs/PROTOCOL.md 5.18): the operator pays part or all of a provider's payable out of
/// the scheme. One ledger entry moves it from the provider's payable to its payouts account, one log entry records the
/// amount per provider, and the provider gets a signed statement.
/// </summary>
/// <remarks>
/// Crash safety: the ledger entry and the log entry share one key (the ledger key), and both are made under the gate.
/// A retry after a crash between them replays the ledger entry and finishes the log append
/// (<see cref="SchemeContext.AppendLogOnceAsync"/>); the statement is built only from what was committed (the entry,
/// the balances just after it, the log index), so every retry returns the same bytes.
/// </remarks>
internal sealed class PayoutHandler(SchemeContext context, IRegistryStore registries)
{
    /// <summary>Pays <paramref name="amount"/> out of <paramref name="provider"/>'s payable, at most once per key.</summary>
    /// <param name="key">The operator's idempotency key.</param>
    /// <param name="provider">The provider, named by a published registry.</param>
    /// <param name="amount">The amount, more than zero.</param>
    /// <param name="cancellationToken">Cancels the operation; a retry with the same key completes it.</param>
    /// <returns>The outcome, with the statement when paid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="provider"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero.</exception>
    public async Task<PayoutResult> PayoutAsync(IdempotencyKey key, AccountId provider, Amount amount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentOutOfRangeException.ThrowIfZero(amount.MinorUnits, nameof(amount));

        // Registries only grow, so a provider once named stays known, and a retry sees what the first attempt saw.
        var published = await registries.ListRegistriesAsync(cancellationToken).ConfigureAwait(false);
        if (!published.Any(r => r.Find(provider) is not null))
        {
            return new PayoutResult(PayoutStatus.UnknownProvider, null, false);
        }

        // Operator keys get their own space in the ledger's global key space: a contribution's key never meets a payout's.
        var ledgerKey = SchemeContext.LedgerKey("po", "operator", key);
        return await context.UnderGateAsync<PayoutResult>(async () =>
        {
            var result = await context.Ledger.PayoutAsync(ledgerKey, provider, amount, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return new PayoutResult(Refusal(result.Status), null, result.IsReplay);
            }

            var entry = result.Entry!;
            long after = await context.Ledger.GetBalanceAfterAsync(LedgerAccount.Provider(provider), entry.Sequence, cancellationToken).ConfigureAwait(false);
            long total = await context.Ledger.GetBalanceAfterAsync(LedgerAccount.Payouts(provider), entry.Sequence, cancellationToken).ConfigureAwait(false);
            var record = ProvidersPaidOutRecord.Create(entry.Timestamp, [new ProviderShare(provider, amount)]);
            var (index, _) = await context.AppendLedgerLogAsync(ledgerKey, result, LogEntry.ForPayouts(record), cancellationToken).ConfigureAwait(false);
            var statement = PayoutStatement.Sign(provider, amount, Amount.FromMinorUnits(after), Amount.FromMinorUnits(total), (ulong)entry.Sequence, index, entry.Timestamp, context.SchemeKey);
            return new PayoutResult(PayoutStatus.Paid, statement, result.IsReplay);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static PayoutStatus Refusal(LedgerStatus status) => status switch
    {
        LedgerStatus.InsufficientFunds => PayoutStatus.InsufficientPayable,
        LedgerStatus.IdempotencyKeyReused => PayoutStatus.IdempotencyKeyReused,
        LedgerStatus.AmountOverflow => PayoutStatus.AmountOverflow,
        _ => throw new InvalidOperationException($"The ledger answered a payout with {status}."),
    };
}
