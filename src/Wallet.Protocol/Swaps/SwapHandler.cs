namespace Wallet.Protocol.Swaps;

/// <summary>
/// The scheme's side of a swap (exact change, rollover; docs/PROTOCOL.md section 5.10). Read top to bottom: the
/// inputs' signatures, verified before the gate; under the gate, the replay check, every input's checks, the outputs'
/// checks, first spend wins and the ledger entry; the blind signatures, outside the gate; under it again, the log entry
/// and the stored response (<see cref="SwapIssuance"/>).
/// </summary>
internal sealed class SwapHandler(SchemeContext context, ISwapStore swaps, IKeysetStore keysets, ISpendStore spendStore, SwapIssuance issuance, SwapSpendsInFlight inFlight)
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

        // docs/PROTOCOL.md 5.10, "Order of a swap": verify (no gate), decide (gate), sign (no gate), log and store (gate).
        var verified = await VerifyInputsAsync(request, spends, cancellationToken).ConfigureAwait(false);
        var decided = await DecideAsync(request, storeKey, hash, spends, verified, cancellationToken).ConfigureAwait(false);
        if (decided.Answer is { } answer)
        {
            return answer;
        }

        // The ledger gave this swap its inputs, so no concurrent spend can take them any more: these signatures are for
        // the winner alone. Signing needs no gate, so swaps sign side by side like withdrawals.
        var signatures = await SwapIssuance.SignAsync(request.Outputs, decided.Signers, cancellationToken).ConfigureAwait(false);
        if (signatures is null)
        {
            // The ledger entry stays, and its spends stay in flight as first-spend evidence: the same request finishes
            // once the signer is back.
            return SwapIssuance.Refused(SwapStatus.SigningKeyUnavailable);
        }

        return await context.UnderGateAsync<SwapResult>(async () =>
        {
            // A concurrent retry of this key may have finished first: its stored answer is the one (same bytes: the same
            // signatures, computed again; other bytes: refused, and the signatures made here are never released).
            if (await issuance.ReplayAsync(storeKey, hash, cancellationToken).ConfigureAwait(false) is { } replayed)
            {
                return replayed;
            }

            var result = await issuance.FinishAsync(storeKey, hash, isRecovery: false, decided.Inputs, request.Outputs, decided.Signers, spends, signatures, decided.Now, cancellationToken).ConfigureAwait(false);
            inFlight.Remove(spends);

            return result;
        }, cancellationToken).ConfigureAwait(false);
    }

    // Under the gate: the replay check, every input's and output's checks, first spend wins, the ledger entry. Answer is
    // the final result when there is nothing to sign; else the ledger took the swap and its spends are in flight.
    private async Task<(SwapResult? Answer, (Coin Coin, KeysetDescriptor Descriptor)[] Inputs, KeysetSigner[] Signers, DateTimeOffset Now)> DecideAsync(
        SwapRequest request, IdempotencyKey storeKey, byte[] hash, IReadOnlyList<SwapSpend> spends, SpendSignatures?[] verified, CancellationToken cancellationToken)
    {
        return await context.UnderGateAsync<(SwapResult? Answer, (Coin Coin, KeysetDescriptor Descriptor)[] Inputs, KeysetSigner[] Signers, DateTimeOffset Now)>(async () =>
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

                // Spendable when the ledger took the swap, the window may have closed before the retry: every other
                // check still applies.
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

            // First spend wins: payments and swaps leave signed evidence (a swap still signing keeps its spends in
            // flight until its answer is stored); a recovery does not, so the ledger has the last word.
            var proofs = new List<SwapDoubleSpendProof>();
            foreach (var spend in spends)
            {
                if (await spendStore.GetSpendAsync(spend.Coin.Id, cancellationToken).ConfigureAwait(false) is { } payment)
                {
                    proofs.Add(new SwapDoubleSpendProof(payment, spend));
                }
                else if (inFlight.TryGet(spend.Coin.Id, out var pending) && !pending.SwapHash.SequenceEqual(spend.SwapHash))
                {
                    proofs.Add(new SwapDoubleSpendProof(pending, spend));
                }
                else if (await swaps.GetSwapSpendAsync(spend.Coin.Id, cancellationToken).ConfigureAwait(false) is { } swap)
                {
                    proofs.Add(new SwapDoubleSpendProof(swap, spend));
                }
            }

            if (proofs.Count > 0)
            {
                return (new SwapResult(SwapStatus.DoubleSpend, null, null, proofs), [], [], now);
            }

            if (await issuance.CommitLedgerAsync(storeKey, inputs, signers, cancellationToken).ConfigureAwait(false) is { } refused)
            {
                return (refused, [], [], now);
            }

            inFlight.Add(spends);

            return (null, inputs, signers, now);
        }, cancellationToken).ConfigureAwait(false);
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
