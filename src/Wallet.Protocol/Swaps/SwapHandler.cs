namespace Wallet.Protocol.Swaps;

/// <summary>
/// The scheme's side of a swap (exact change, rollover; docs/PROTOCOL.md section 5.10). Read top to bottom: the
/// inputs' signatures, verified before the gate; the replay check, every input's and output's checks and first spend
/// wins on committed state; the blind signatures, outside the gate; under the gate, in one store transaction, the same
/// checks again, the ledger entry, the log entry and the stored response (<see cref="SwapIssuance"/>).
/// </summary>
internal sealed class SwapHandler(SchemeContext context, ISwapStore swaps, IKeysetStore keysets, ISpendStore spendStore, SwapIssuance issuance)
{
    /// <summary>
    /// Honours an anonymous swap (docs/PROTOCOL.md section 5.10): every input is checked like a deposited coin (keyset
    /// known and not revoked, spendable and depositable now, issuer signature, coin-key signature over this swap, not
    /// twice), every output's keyset is withdrawable now and its blinded message well formed, and each fund's value in
    /// equals its value out. First spend wins against deposits and other swaps: a coin already spent yields a
    /// verifiable proof and nothing moves. Then one ledger swap entry, blind signatures, a log entry (inputs and
    /// per-keyset output counts, no account) and the signed response, stored for replay and restore. A retry with the
    /// same key and bytes replays the stored response.
    /// </summary>
    /// <param name="request">The swap.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public async Task<SwapResult> SwapAsync(SwapRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] hash = request.Hash();
        var storeKey = SchemeContext.LedgerKey("s", "swap", request.IdempotencyKey);
        var spends = request.Spends();

        // docs/PROTOCOL.md 5.10, "Order of a swap": verify and check (no gate), sign (no gate), decide and commit (gate,
        // one store transaction).
        var verified = await VerifyInputsAsync(request, spends, cancellationToken).ConfigureAwait(false);

        // Checked first on committed state, so a replay, a refusal or a coin already spent is answered before anything
        // is signed; the same checks run again under the gate, where they decide.
        var early = await CheckAsync(request, storeKey, hash, spends, verified, cancellationToken).ConfigureAwait(false);
        if (early.Answer is { } answer)
        {
            return answer;
        }

        // Signed before the gate and on every core, as withdrawals are: nothing is released until the ledger entry, the
        // log entry and the answer are committed below, and a swap that loses there drops its signatures. A keyset's
        // key never changes under its id, so the signers the gate finds sign the same coins.
        var signatures = await issuance.SignAsync(request.Outputs, early.Signers, cancellationToken).ConfigureAwait(false);
        if (signatures is null)
        {
            // The signer (a separate process or module) cannot sign now: nothing moved.
            return SwapIssuance.Refused(SwapStatus.SigningKeyUnavailable);
        }

        return await context.UnderGateAsync<SwapResult>(async () =>
        {
            // A concurrent deposit, swap or retry may have won meanwhile: the checks decide again, on what is committed
            // now, and their answer (a stored response, a proof, a refusal) is the one given.
            var decided = await CheckAsync(request, storeKey, hash, spends, verified, cancellationToken).ConfigureAwait(false);
            if (decided.Answer is { } final)
            {
                return final;
            }

            // One store transaction (ISchemeTransactions): the ledger entry, the log entry and the stored answer land
            // together or not at all. Stores that commit one by one finish a crash between them on the retry.
            var (refused, ledger) = await issuance.CommitLedgerAsync(storeKey, decided.Inputs, decided.Signers, cancellationToken).ConfigureAwait(false);
            if (refused is not null)
            {
                return refused;
            }

            return await issuance.FinishAsync(storeKey, ledger, hash, isRecovery: false, decided.Inputs, request.Outputs, decided.Signers, spends, signatures, decided.Now, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    // The replay check, every input's and output's checks, and first spend wins, on what is committed (under the gate,
    // what this operation's transaction sees). Answer is the final result when there is nothing to sign or commit.
    private async Task<(SwapResult? Answer, (Coin Coin, KeysetDescriptor Descriptor)[] Inputs, KeysetSigner[] Signers, DateTimeOffset Now)> CheckAsync(
        SwapRequest request, IdempotencyKey storeKey, byte[] hash, IReadOnlyList<SwapSpend> spends, SpendSignatures?[] verified, CancellationToken cancellationToken)
    {
        if (await issuance.ReplayAsync(storeKey, hash, cancellationToken).ConfigureAwait(false) is { } replayed)
        {
            return (replayed, [], [], default);
        }

        // A swap committed before a crash is finished even if a window has closed or a key is not loaded meanwhile.
        var isCommitted = issuance.CommittedCheck(storeKey, cancellationToken);
        var now = context.Time.GetUtcNow();
        var inputs = new (Coin Coin, KeysetDescriptor Descriptor)[spends.Count];
        var seen = new HashSet<CoinId>();
        var stored = new Dictionary<KeysetId, StoredKeyset?>();
        for (int i = 0; i < inputs.Length; i++)
        {
            var coin = request.Inputs[i];
            if (!stored.TryGetValue(coin.Keyset, out var keyset))
            {
                keyset = await keysets.GetKeysetAsync(coin.Keyset, cancellationToken).ConfigureAwait(false);
                stored[coin.Keyset] = keyset;
            }

            // Spendable when the ledger took the swap, the window may have closed before the retry: every other check
            // still applies.
            bool windowsApply = keyset is not { Revoked: false } || InWindows(keyset.Announcement.Descriptor, now) || !await isCommitted().ConfigureAwait(false);
            var status = CheckSwapInput(coin, keyset, now, seen, spends[i], context.Signers.GetValueOrDefault(coin.Keyset), windowsApply, verified[i]);
            if (status is { } s)
            {
                return (SwapIssuance.Refused(s, i), [], [], now);
            }

            inputs[i] = (coin, keyset!.Announcement.Descriptor);
        }

        var (refusal, signers) = await issuance.CheckOutputsAsync(request.Outputs, inputs.Select(x => x.Descriptor), now, isCommitted).ConfigureAwait(false);
        if (refusal is not null)
        {
            return (refusal, [], [], now);
        }

        // First spend wins: payments and swaps leave signed evidence; a recovery does not, so the ledger has the last word.
        // A swap spend over this very swap is a concurrent retry of it that stored its answer after the replay check
        // above: not a double spend, and the check under the gate replays that answer.
        var proofs = new List<SwapDoubleSpendProof>();
        foreach (var spend in spends)
        {
            if (await spendStore.GetSpendAsync(spend.Coin.Id, cancellationToken).ConfigureAwait(false) is { } payment)
            {
                proofs.Add(new SwapDoubleSpendProof(payment, spend));
            }
            else if (await swaps.GetSwapSpendAsync(spend.Coin.Id, cancellationToken).ConfigureAwait(false) is { } swap && !swap.SwapHash.SequenceEqual(spend.SwapHash))
            {
                proofs.Add(new SwapDoubleSpendProof(swap, spend));
            }
        }

        return proofs.Count > 0
            ? (new SwapResult(SwapStatus.DoubleSpend, null, null, proofs), [], [], now)
            : (null, inputs, signers, now);
    }

    // The inputs' issuer and spend signatures, before the gate and on several cores for a large swap: a keyset's
    // descriptor never changes under its id, so the outcome is the one the checks under the gate would reach. Null for
    // a coin whose keyset is not announced (checked in order under the gate).
    private async Task<SpendSignatures?[]> VerifyInputsAsync(SwapRequest request, IReadOnlyList<SwapSpend> spends, CancellationToken cancellationToken)
    {
        var descriptors = new Dictionary<KeysetId, KeysetDescriptor?>();
        foreach (var coin in request.Inputs)
        {
            if (!descriptors.ContainsKey(coin.Keyset))
            {
                descriptors[coin.Keyset] = (await keysets.GetKeysetAsync(coin.Keyset, cancellationToken).ConfigureAwait(false))?.Announcement.Descriptor;
            }
        }

        return ParallelChecks.Run(spends.Count, context.VerificationParallelism, context.ParallelVerificationFrom, i =>
        {
            var coin = request.Inputs[i];
            if (descriptors[coin.Keyset] is not { } descriptor)
            {
                return (SpendSignatures?)null;
            }

            var signer = context.Signers.GetValueOrDefault(coin.Keyset);
            bool issued = signer is not null ? coin.VerifyIssuerWith(descriptor, signer.Verifier) : coin.VerifyIssuer(descriptor);
            return new SpendSignatures(issued, spends[i].Verify());
        });
    }

    private static bool InWindows(KeysetDescriptor descriptor, DateTimeOffset now) => descriptor.IsSpendable(now) && descriptor.IsDepositable(now);

    private static SwapStatus? CheckSwapInput(Coin coin, StoredKeyset? stored, DateTimeOffset now, HashSet<CoinId> seen, SwapSpend spend, KeysetSigner? signer, bool windowsApply, SpendSignatures? verified)
    {
        if (!seen.Add(coin.Id))
        {
            return SwapStatus.DuplicateInput;
        }

        if (stored is null || stored.Revoked)
        {
            return SwapStatus.UnknownKeyset;
        }

        var descriptor = stored.Announcement.Descriptor;
        if (windowsApply && !InWindows(descriptor, now))
        {
            return SwapStatus.OutsideSpendWindow;
        }

        bool issued = verified?.Issuer ?? (signer is not null ? coin.VerifyIssuerWith(descriptor, signer.Verifier) : coin.VerifyIssuer(descriptor));
        if (!issued)
        {
            return SwapStatus.BadIssuerSignature;
        }

        return (verified?.Spend ?? spend.Verify()) ? null : SwapStatus.BadSpendSignature;
    }
}
