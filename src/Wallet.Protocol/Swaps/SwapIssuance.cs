namespace Wallet.Protocol.Swaps;

/// <summary>
/// What a swap and a recovery share once their inputs are checked: the outputs' checks (withdrawable keysets,
/// well-formed blinded messages, value conserved per fund) and the commit (one ledger swap entry, blind signatures,
/// the log entry and the stored response).
/// </summary>
internal sealed class SwapIssuance(SchemeContext context, ISwapStore swaps)
{
    // The stored answer to a retried swap or recovery (callers hold the gate): the same response for the same bytes,
    // a refusal for other bytes under the key, or null when nothing is stored yet.
    public async Task<SwapResult?> ReplayAsync(IdempotencyKey storeKey, byte[] hash, CancellationToken cancellationToken)
    {
        var previous = await swaps.GetSwapAsync(storeKey, cancellationToken).ConfigureAwait(false);
        if (previous is null)
        {
            return null;
        }

        return previous.RequestHash.Span.SequenceEqual(hash) ? Swapped(previous.Response) : Refused(SwapStatus.IdempotencyKeyReused);
    }

    private SwapResult? CheckOutputs(IReadOnlyList<WithdrawalItem> outputs, IEnumerable<KeysetDescriptor> inputKeysets, DateTimeOffset now, out KeysetSigner[] signers)
    {
        signers = new KeysetSigner[outputs.Count];
        for (int i = 0; i < signers.Length; i++)
        {
            if (!context.Signers.TryGetValue(outputs[i].Keyset, out var signer) || !signer.Descriptor.IsWithdrawable(now))
            {
                return Refused(SwapStatus.OutputNotWithdrawable, i);
            }

            if (!signer.Fits(outputs[i].BlindedMessage))
            {
                return Refused(SwapStatus.MalformedOutput, i);
            }

            signers[i] = signer;
        }

        // Value is conserved per fund, so a restricted (training) coin can only become a coin of its own fund.
        var perFund = new Dictionary<string, long>(StringComparer.Ordinal);
        long balance = 0;
        foreach (var d in inputKeysets)
        {
            perFund[d.Fund] = checked(perFund.GetValueOrDefault(d.Fund) + d.Denomination.MinorUnits);
            balance = checked(balance + d.Denomination.MinorUnits);
        }

        foreach (var signer in signers)
        {
            var d = signer.Descriptor;
            perFund[d.Fund] = checked(perFund.GetValueOrDefault(d.Fund) - d.Denomination.MinorUnits);
            balance = checked(balance - d.Denomination.MinorUnits);
        }

        if (balance != 0)
        {
            return Refused(SwapStatus.ValueMismatch);
        }

        return perFund.Values.Any(v => v != 0) ? Refused(SwapStatus.FundMismatch) : null;
    }

    // Whether the ledger already took the swap or recovery under this key (a crash came before its answer was stored).
    // Asked only when the ordinary path would refuse, and at most once, so a fresh request pays no extra ledger read.
    public Func<Task<bool>> CommittedCheck(IdempotencyKey storeKey, CancellationToken cancellationToken)
    {
        bool? committed = null;
        return async () => committed ??= await context.Ledger.FindEntryAsync(storeKey, cancellationToken).ConfigureAwait(false) is not null;
    }

    // The outputs' checks, except that a request the ledger already took is finished with the loaded keys whatever the
    // windows say now, or told to come back while a key is not loaded.
    public async Task<(SwapResult? Refusal, KeysetSigner[] Signers)> CheckOutputsAsync(
        IReadOnlyList<WithdrawalItem> outputs, IEnumerable<KeysetDescriptor> inputKeysets, DateTimeOffset now, Func<Task<bool>> isCommitted)
    {
        var refusal = CheckOutputs(outputs, inputKeysets, now, out var signers);
        if (refusal is { Status: SwapStatus.OutputNotWithdrawable } && await isCommitted().ConfigureAwait(false))
        {
            return LoadedSigners(outputs) is { } loaded ? (null, loaded) : (Refused(SwapStatus.SigningKeyUnavailable), signers);
        }

        return (refusal, signers);
    }

    // The signers of a request the ledger already committed: its outputs were checked when it was taken, so only the
    // keys matter now; null while any is not loaded.
    private KeysetSigner[]? LoadedSigners(IReadOnlyList<WithdrawalItem> outputs)
    {
        var signers = new KeysetSigner[outputs.Count];
        for (int i = 0; i < signers.Length; i++)
        {
            if (!context.Signers.TryGetValue(outputs[i].Keyset, out var signer) || !signer.Fits(outputs[i].BlindedMessage))
            {
                return null;
            }

            signers[i] = signer;
        }

        return signers;
    }

    // The three steps of a commit in one gate hold and one store transaction (recovery). A swap signs before the gate
    // and runs the other two under it (SwapHandler, docs/PROTOCOL.md 5.10).
    public async Task<SwapResult> CommitAsync(
        IdempotencyKey storeKey,
        byte[] hash,
        bool isRecovery,
        (Coin Coin, KeysetDescriptor Descriptor)[] inputs,
        IReadOnlyList<WithdrawalItem> outputs,
        KeysetSigner[] signers,
        IReadOnlyList<SwapSpend> spends,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var (refused, ledger) = await CommitLedgerAsync(storeKey, inputs, signers, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        var signatures = await SignAsync(outputs, signers, cancellationToken).ConfigureAwait(false);
        return signatures is null
            ? Refused(SwapStatus.SigningKeyUnavailable)
            : await FinishAsync(storeKey, ledger, hash, isRecovery, inputs, outputs, signers, spends, signatures, now, cancellationToken).ConfigureAwait(false);
    }

    // One ledger swap entry (fresh, or replayed after a crash): no refusal once the ledger took it, else the refusal.
    // Callers hold the gate, so the ledger's answer and the first-spend evidence the caller checked agree.
    public async Task<(SwapResult? Refusal, LedgerResult Ledger)> CommitLedgerAsync(IdempotencyKey storeKey, (Coin Coin, KeysetDescriptor Descriptor)[] inputs, KeysetSigner[] signers, CancellationToken cancellationToken)
    {
        var spent = inputs.Select(x => new SpentCoin(x.Coin.Id, x.Coin.Keyset, x.Descriptor.Denomination)).ToList();
        var issued = signers.Select(s => new KeysetAmount(s.Descriptor.Id, s.Descriptor.Denomination)).ToList();
        var ledger = await context.Ledger.SwapAsync(storeKey, spent, issued, cancellationToken).ConfigureAwait(false);
        return (Refusal(ledger), ledger);
    }

    private static SwapResult? Refusal(LedgerResult ledger) =>
        ledger.Status switch
        {
            LedgerStatus.Applied => null,
            LedgerStatus.DoubleSpend => new SwapResult(SwapStatus.DoubleSpend, null, null, []),
            LedgerStatus.ValueMismatch => Refused(SwapStatus.ValueMismatch),
            LedgerStatus.KeysetExpired => Refused(SwapStatus.OutsideSpendWindow),
            LedgerStatus.OutstandingExceeded => Refused(SwapStatus.NotIssued),
            _ => Refused(SwapStatus.IdempotencyKeyReused),
        };

    // Blind signatures of a committed entry's outputs, or null while the signer cannot sign (the entry stays, and the
    // same request finishes once it is back). Blind signing is a function of the blinded message, so a retry finishes
    // with exactly the coins paid for. Needs no gate.
    public Task<BlindSignature[]?> SignAsync(IReadOnlyList<WithdrawalItem> outputs, KeysetSigner[] signers, CancellationToken cancellationToken) =>
        KeysetSigner.TrySignAsync(signers, [.. outputs.Select(o => o.BlindedMessage)], cancellationToken, context.VerificationParallelism);

    // The log entry and the stored response of a committed, signed swap or recovery. Callers hold the gate. A ledger
    // entry this call made fresh has no log record yet; a replayed one (a crash came after it) is looked up first.
    public async Task<SwapResult> FinishAsync(
        IdempotencyKey storeKey,
        LedgerResult ledger,
        byte[] hash,
        bool isRecovery,
        (Coin Coin, KeysetDescriptor Descriptor)[] inputs,
        IReadOnlyList<WithdrawalItem> outputs,
        KeysetSigner[] signers,
        IReadOnlyList<SwapSpend> spends,
        BlindSignature[] signatures,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var total = Amount.Sum(inputs.Select(x => x.Descriptor.Denomination));
        var response = SwapResponse.Sign(hash, total, signatures, now, context.SchemeKey);
        var record = new SwapRecord(now, isRecovery, [.. inputs.Select(x => x.Coin)], [.. signers.GroupBy(s => s.Descriptor.Id).Select(g => (g.Key, g.Count()))]);
        await context.AppendLedgerLogAsync(storeKey, ledger, LogEntry.ForSwap(record), cancellationToken).ConfigureAwait(false);
        await swaps.PutSwapAsync(storeKey, new StoredSwap(hash, response), [.. outputs.Select(o => o.BlindedMessage)], spends, cancellationToken).ConfigureAwait(false);
        return Swapped(response);
    }

    public static SwapResult Swapped(SwapResponse response) => new(SwapStatus.Swapped, response, null, []);

    public static SwapResult Refused(SwapStatus status, int? index = null) => new(status, null, index, []);
}
