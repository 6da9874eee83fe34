namespace Wallet.Protocol.Swaps;

/// <summary>
/// The scheme's side of a swap (exact change, rollover; docs/PROTOCOL.md section 5.10). Read top to bottom: the
/// replay check, every input's checks, the outputs' checks, first spend wins; then <see cref="SwapIssuance"/>
/// commits, signs, logs and stores.
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
        await context.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await issuance.ReplayAsync(storeKey, hash, cancellationToken).ConfigureAwait(false) is { } replayed)
            {
                return replayed;
            }

            // A swap committed before a crash is finished even if a window has closed or a key is not loaded meanwhile.
            var isCommitted = issuance.CommittedCheck(storeKey, cancellationToken);
            var now = context.Time.GetUtcNow();
            var spends = request.Spends();
            var inputs = new (Coin Coin, KeysetDescriptor Descriptor)[spends.Count];
            var seen = new HashSet<CoinId>();
            for (int i = 0; i < inputs.Length; i++)
            {
                var coin = request.Inputs[i];
                var stored = await keysets.GetKeysetAsync(coin.Keyset, cancellationToken).ConfigureAwait(false);
                // Spendable when the ledger took the swap, the window may have closed before the retry: every other
                // check still applies.
                bool windowsApply = stored is not { Revoked: false } || InWindows(stored.Announcement.Descriptor, now) || !await isCommitted().ConfigureAwait(false);
                var status = CheckSwapInput(coin, stored, now, seen, spends[i], context.Signers.GetValueOrDefault(coin.Keyset), windowsApply);
                if (status is { } s)
                {
                    return SwapIssuance.Refused(s, i);
                }

                inputs[i] = (coin, stored!.Announcement.Descriptor);
            }

            var (refusal, signers) = await issuance.CheckOutputsAsync(request.Outputs, inputs.Select(x => x.Descriptor), now, isCommitted).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal;
            }

            // First spend wins: payments and swaps leave signed evidence; a recovery does not, so the ledger has the last word.
            var proofs = new List<SwapDoubleSpendProof>();
            foreach (var spend in spends)
            {
                if (await spendStore.GetSpendAsync(spend.Coin.Id, cancellationToken).ConfigureAwait(false) is { } payment)
                {
                    proofs.Add(new SwapDoubleSpendProof(payment, spend));
                }
                else if (await swaps.GetSwapSpendAsync(spend.Coin.Id, cancellationToken).ConfigureAwait(false) is { } swap)
                {
                    proofs.Add(new SwapDoubleSpendProof(swap, spend));
                }
            }

            if (proofs.Count > 0)
            {
                return new SwapResult(SwapStatus.DoubleSpend, null, null, proofs);
            }

            return await issuance.CommitAsync(storeKey, hash, isRecovery: false, inputs, request.Outputs, signers, spends, now, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            context.Gate.Release();
        }
    }

    private static bool InWindows(KeysetDescriptor descriptor, DateTimeOffset now) => descriptor.IsSpendable(now) && descriptor.IsDepositable(now);

    private static SwapStatus? CheckSwapInput(Coin coin, StoredKeyset? stored, DateTimeOffset now, HashSet<CoinId> seen, SwapSpend spend, KeysetSigner? signer, bool windowsApply)
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

        bool issued = signer is not null ? coin.VerifyIssuerWith(descriptor, signer.Verifier) : coin.VerifyIssuer(descriptor);
        if (!issued)
        {
            return SwapStatus.BadIssuerSignature;
        }

        return spend.Verify() ? null : SwapStatus.BadSpendSignature;
    }
}
