namespace Wallet.Protocol.Recovery;

/// <summary>
/// The scheme's side of recovery (docs/PROTOCOL.md section 5.11): never-spent coins of a revoked keyset are
/// re-issued to the account that withdrew them. Read top to bottom: account signature, the replay check, every
/// input's claim; the outputs are then checked and issued like a swap's (<see cref="SwapIssuance"/>).
/// </summary>
internal sealed class RecoveryHandler(SchemeContext context, IWithdrawalStore withdrawals, IKeysetStore keysets, SwapIssuance issuance)
{
    /// <summary>
    /// Re-issues never-spent coins of a revoked keyset to the account that withdrew them (docs/PROTOCOL.md section
    /// 5.11): account signature; every input's keyset revoked; the disclosed salt and blinding factor recompute a
    /// blinded message that this account's withdrawal carried (or that a swap issued); the coin unspent (the ledger's spent set decides); the
    /// outputs as for a swap. One ledger swap entry and a recovery log entry. Idempotent per (account, key).
    /// </summary>
    /// <param name="request">The signed recovery request.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public async Task<SwapResult> RecoverAsync(RecoveryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accountKey = await withdrawals.GetAccountKeyAsync(request.Account, cancellationToken).ConfigureAwait(false);
        if (accountKey is null)
        {
            return SwapIssuance.Refused(SwapStatus.UnknownAccount);
        }

        if (!request.Verify(accountKey))
        {
            return SwapIssuance.Refused(SwapStatus.BadSignature);
        }

        byte[] hash = request.Hash();
        var storeKey = SchemeContext.LedgerKey("r", request.Account.Value, request.IdempotencyKey);
        return await context.UnderGateAsync<SwapResult>(async () =>
        {
            if (await issuance.ReplayAsync(storeKey, hash, cancellationToken).ConfigureAwait(false) is { } replayed)
            {
                return replayed;
            }

            var now = context.Time.GetUtcNow();
            var inputs = new (Coin Coin, KeysetDescriptor Descriptor)[request.Inputs.Length];
            var seen = new HashSet<CoinId>();
            for (int i = 0; i < inputs.Length; i++)
            {
                var item = request.Inputs[i];
                var stored = await keysets.GetKeysetAsync(item.Coin.Keyset, cancellationToken).ConfigureAwait(false);
                var status = await CheckRecoveryInputAsync(request.Account, item, stored, seen, cancellationToken).ConfigureAwait(false);
                if (status is { } s)
                {
                    return SwapIssuance.Refused(s, i);
                }

                inputs[i] = (item.Coin, stored!.Announcement.Descriptor);
            }

            // A recovery committed before a crash is finished even if a window has closed or a key is not loaded meanwhile.
            var isCommitted = issuance.CommittedCheck(storeKey, cancellationToken);
            var (refusal, signers) = await issuance.CheckOutputsAsync(request.Outputs, inputs.Select(x => x.Descriptor), now, isCommitted).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal;
            }

            return await issuance.CommitAsync(storeKey, hash, isRecovery: true, inputs, request.Outputs, signers, [], now, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SwapStatus?> CheckRecoveryInputAsync(AccountId account, RecoveryItem item, StoredKeyset? stored, HashSet<CoinId> seen, CancellationToken cancellationToken)
    {
        if (!seen.Add(item.Coin.Id))
        {
            return SwapStatus.DuplicateInput;
        }

        if (stored is null)
        {
            return SwapStatus.UnknownKeyset;
        }

        if (!stored.Revoked)
        {
            return SwapStatus.KeysetNotRevoked;
        }

        var descriptor = stored.Announcement.Descriptor;
        BlindedMessage blinded;
        try
        {
            using var publicKey = descriptor.ImportPublicKey();
            blinded = BlindingDisclosure.Reblind(descriptor.Algorithm, publicKey, Coin.BuildMessage(descriptor.Id, item.Coin.Id), descriptor.Metadata, item.Salt, item.BlindingFactor);
        }
        catch (Exception ex) when (ex is BlindRsaException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return SwapStatus.BadBlinding;
        }

        // A withdrawn coin must be claimed by the account that paid for it. A swap output names no account (swaps are
        // anonymous); knowing the blinding of a blinded message the scheme signed is then the whole claim.
        var withdrawer = await withdrawals.FindWithdrawingAccountAsync(blinded, cancellationToken).ConfigureAwait(false);
        if (withdrawer == account)
        {
            return null;
        }

        return withdrawer is null && await withdrawals.FindBlindSignatureAsync(blinded, cancellationToken).ConfigureAwait(false) is not null
            ? null
            : SwapStatus.NotWithdrawnByAccount;
    }
}
