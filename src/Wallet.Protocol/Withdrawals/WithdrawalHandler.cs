namespace Wallet.Protocol.Withdrawals;

/// <summary>
/// The scheme's side of flow 2, withdrawal: a worker's account pays for blinded coins, the scheme signs them. Read
/// top to bottom: checks, blind signing, the receipt, then under the gate one ledger debit, the log entry and the
/// stored response.
/// </summary>
internal sealed class WithdrawalHandler(SchemeContext context, IWithdrawalStore withdrawals, IKeysetStore keysets)
{
    /// <summary>
    /// Honours a withdrawal (flow 2): account signature, idempotency, keyset windows and sizes, one ledger debit,
    /// blind signatures (the signer verifies its own output, RFC 9474 section 4.3), a signed receipt, and the
    /// response stored for replay and restore. A retry with the same request returns the stored response.
    /// </summary>
    /// <param name="request">The signed request.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public async Task<WithdrawalResult> WithdrawAsync(WithdrawalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = ProtocolTelemetry.StartWithdrawal();
        var accountKey = await withdrawals.GetAccountKeyAsync(request.Account, cancellationToken).ConfigureAwait(false);
        if (accountKey is null)
        {
            return new WithdrawalResult(WithdrawalStatus.UnknownAccount, null);
        }

        if (!request.Verify(accountKey))
        {
            return new WithdrawalResult(WithdrawalStatus.BadSignature, null);
        }

        byte[] hash = request.Hash();
        var previous = await withdrawals.GetWithdrawalAsync(request.Account, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (previous is not null)
        {
            return previous.RequestHash.Span.SequenceEqual(hash)
                ? new WithdrawalResult(WithdrawalStatus.Issued, previous.Response)
                : new WithdrawalResult(WithdrawalStatus.IdempotencyKeyReused, null);
        }

        // Replay first: a debit an earlier attempt committed (its response lost to a crash) is finished whatever the
        // keyset's window says now and whether or not its key is loaded yet; the window was checked when it was paid.
        var ledgerKey = SchemeContext.LedgerKey("w", request.Account.Value, request.IdempotencyKey);
        var now = context.Time.GetUtcNow();
        // Asked only when the ordinary path would refuse, so a fresh withdrawal pays no extra ledger read.
        bool? committed = null;
        async Task<bool> IsCommittedAsync() =>
            committed ??= await context.Ledger.FindEntryAsync(ledgerKey, cancellationToken).ConfigureAwait(false) is not null;
        var descriptors = new KeysetDescriptor[request.Items.Length];
        var signers = new KeysetSigner?[request.Items.Length];
        for (int i = 0; i < signers.Length; i++)
        {
            var item = request.Items[i];
            context.Signers.TryGetValue(item.Keyset, out var signer);
            var descriptor = signer?.Descriptor;
            if (descriptor is null && await IsCommittedAsync().ConfigureAwait(false))
            {
                descriptor = (await keysets.GetKeysetAsync(item.Keyset, cancellationToken).ConfigureAwait(false))?.Announcement.Descriptor;
            }

            if (descriptor is null)
            {
                return new WithdrawalResult(WithdrawalStatus.UnknownKeyset, null);
            }

            if (!descriptor.IsWithdrawable(now) && !await IsCommittedAsync().ConfigureAwait(false))
            {
                return new WithdrawalResult(WithdrawalStatus.KeysetNotWithdrawable, null);
            }

            if (signer is not null && !signer.Fits(item.BlindedMessage))
            {
                return new WithdrawalResult(WithdrawalStatus.MalformedItem, null);
            }

            descriptors[i] = descriptor;
            signers[i] = signer;
        }

        var coins = descriptors.Select(d => new KeysetAmount(d.Id, d.Denomination, d.Fund)).ToArray();
        var total = Amount.Sum(coins.Select(c => c.Value));
        if (signers.Any(s => s is null))
        {
            // A key is not loaded (a restart before the operator re-attached it, or a revoked keyset): nothing is
            // debited now. A debit committed earlier (stores that commit one by one, cut short by a crash) stays under
            // the key, so the request finishes once the key is back, unless the scheme reversed it meanwhile.
            return await IsCommittedAsync().ConfigureAwait(false) && await ReversedAsync(request, ledgerKey, total, now, cancellationToken).ConfigureAwait(false) is { } reversed
                ? reversed
                : new WithdrawalResult(WithdrawalStatus.SigningKeyUnavailable, null);
        }

        // Signed before the debit, outside the gate and on every core: signing is deterministic per blinded message and
        // nothing is handed out until the debit, the log entry and the answer are stored below.
        long signingStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var signatures = await KeysetSigner.TrySignAsync(signers, [.. request.Items.Select(i => i.BlindedMessage)], cancellationToken, context.VerificationParallelism).ConfigureAwait(false);
        if (signatures is null)
        {
            // The signer (a separate process or module) cannot sign now: nothing was debited.
            return new WithdrawalResult(WithdrawalStatus.SigningKeyUnavailable, null);
        }

        ProtocolTelemetry.Signed(signers.Length, System.Diagnostics.Stopwatch.GetElapsedTime(signingStarted));

        var response = new WithdrawalResponse(WithdrawalReceipt.Sign(request, total, now, context.SchemeKey), signatures);
        var issuance = new IssuanceRecord(now, [.. coins.GroupBy(c => c.Keyset).Select(g => (g.Key, g.Count()))]);
        return await context.UnderGateAsync<WithdrawalResult>(async () =>
        {
            // Checked under the gate so two concurrent retries debit and log once and answer alike. The ledger's request
            // hash covers only the coins' keysets and values, so a different body under the same key (other blinded
            // messages) must be refused here, never handed the winner's response.
            var raced = await withdrawals.GetWithdrawalAsync(request.Account, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            if (raced is not null)
            {
                return raced.RequestHash.Span.SequenceEqual(hash)
                    ? new WithdrawalResult(WithdrawalStatus.Issued, raced.Response)
                    : new WithdrawalResult(WithdrawalStatus.IdempotencyKeyReused, null);
            }

            // Revoking drops the keyset's signer under this gate: a keyset revoked while these coins were signed issues
            // nothing, and nothing is debited (a debit committed earlier goes on to its replay or reversal below).
            bool detached = request.Items.Any(i => !context.Signers.ContainsKey(i.Keyset));
            if (detached && await context.Ledger.FindEntryAsync(ledgerKey, cancellationToken).ConfigureAwait(false) is null)
            {
                return new WithdrawalResult(WithdrawalStatus.KeysetNotWithdrawable, null);
            }

            // One debit per coin's fund (docs/PROTOCOL.md 5.22); a committed one is replayed (the ledger compares the
            // request's hash), never applied twice. With stores that share a database (ISchemeTransactions) the debit,
            // the log entry and the stored answer are one transaction.
            var debit = await context.Ledger.WithdrawAsync(ledgerKey, request.Account, coins, cancellationToken).ConfigureAwait(false);
            switch (debit.Status)
            {
                case LedgerStatus.Applied:
                    break;
                case LedgerStatus.InsufficientFunds:
                    return new WithdrawalResult(WithdrawalStatus.InsufficientFunds, null);
                case LedgerStatus.FundRestricted:
                    return new WithdrawalResult(WithdrawalStatus.FundRestricted, null);
                case LedgerStatus.KeysetExpired:
                    return new WithdrawalResult(WithdrawalStatus.KeysetNotWithdrawable, null);
                default:
                    return new WithdrawalResult(WithdrawalStatus.IdempotencyKeyReused, null);
            }

            // A reversal (made under this gate once the keyset was revoked) means these coins must never be handed out.
            // Revoking drops the keyset's signer before a reversal can run, so a fresh debit whose signers are all still
            // attached cannot have been reversed, and pays no extra ledger read.
            if ((debit.IsReplay || detached)
                && await ReversedAsync(request, ledgerKey, total, now, cancellationToken).ConfigureAwait(false) is { } reversedMeanwhile)
            {
                return reversedMeanwhile;
            }

            await context.AppendLedgerLogAsync(ledgerKey, debit, LogEntry.ForIssuance(issuance), cancellationToken).ConfigureAwait(false);
            await withdrawals.PutWithdrawalAsync(request, response, cancellationToken).ConfigureAwait(false);
            ProtocolTelemetry.Withdrawn(signers.Length);
            return new WithdrawalResult(WithdrawalStatus.Issued, response);
        }, cancellationToken).ConfigureAwait(false);
    }

    // docs/PROTOCOL.md 5.3: a debit the scheme reversed (WithdrawalReversalHandler) is answered with a signed reversal.
    private async Task<WithdrawalResult?> ReversedAsync(WithdrawalRequest request, IdempotencyKey ledgerKey, Amount total, DateTimeOffset now, CancellationToken cancellationToken) =>
        await context.Ledger.FindEntryAsync(SchemeLedger.ReversalKey(ledgerKey), cancellationToken).ConfigureAwait(false) is null
            ? null
            : new WithdrawalResult(WithdrawalStatus.Reversed, null) { Reversal = WithdrawalReversalReceipt.Sign(request, total, now, context.SchemeKey) };
}
