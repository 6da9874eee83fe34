using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Schemes;

/// <summary>Swaps (exact change, rollover) and recovery of coins of a revoked keyset.</summary>
public sealed partial class BenefitScheme
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
        var storeKey = LedgerKey("s", "swap", request.IdempotencyKey);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = await _store.GetSwapAsync(storeKey, cancellationToken).ConfigureAwait(false);
            if (previous is not null)
            {
                return previous.RequestHash.Span.SequenceEqual(hash) ? Swapped(previous.Response) : Refused(SwapStatus.IdempotencyKeyReused);
            }

            var now = _time.GetUtcNow();
            var spends = request.Spends();
            var inputs = new (Coin Coin, KeysetDescriptor Descriptor)[spends.Count];
            var seen = new HashSet<CoinId>();
            for (int i = 0; i < inputs.Length; i++)
            {
                var coin = request.Inputs[i];
                var stored = await _store.GetKeysetAsync(coin.Keyset, cancellationToken).ConfigureAwait(false);
                var status = CheckSwapInput(coin, stored, now, seen, spends[i], _signers.GetValueOrDefault(coin.Keyset));
                if (status is { } s)
                {
                    return Refused(s, i);
                }

                inputs[i] = (coin, stored!.Announcement.Descriptor);
            }

            var refusal = CheckOutputs(request.Outputs, inputs.Select(x => x.Descriptor), now, out var signers);
            if (refusal is not null)
            {
                return refusal;
            }

            // First spend wins: payments and swaps leave signed evidence; a recovery does not, so the ledger has the last word.
            var proofs = new List<SwapDoubleSpendProof>();
            foreach (var spend in spends)
            {
                if (await _store.GetSpendAsync(spend.Coin.Id, cancellationToken).ConfigureAwait(false) is { } payment)
                {
                    proofs.Add(new SwapDoubleSpendProof(payment, spend));
                }
                else if (await _store.GetSwapSpendAsync(spend.Coin.Id, cancellationToken).ConfigureAwait(false) is { } swap)
                {
                    proofs.Add(new SwapDoubleSpendProof(swap, spend));
                }
            }

            if (proofs.Count > 0)
            {
                return new SwapResult(SwapStatus.DoubleSpend, null, null, proofs);
            }

            return await CommitAsync(storeKey, hash, isRecovery: false, inputs, request.Outputs, signers, spends, now, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

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
        var accountKey = await _store.GetAccountKeyAsync(request.Account, cancellationToken).ConfigureAwait(false);
        if (accountKey is null)
        {
            return Refused(SwapStatus.UnknownAccount);
        }

        if (!request.Verify(accountKey))
        {
            return Refused(SwapStatus.BadSignature);
        }

        byte[] hash = request.Hash();
        var storeKey = LedgerKey("r", request.Account.Value, request.IdempotencyKey);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = await _store.GetSwapAsync(storeKey, cancellationToken).ConfigureAwait(false);
            if (previous is not null)
            {
                return previous.RequestHash.Span.SequenceEqual(hash) ? Swapped(previous.Response) : Refused(SwapStatus.IdempotencyKeyReused);
            }

            var now = _time.GetUtcNow();
            var inputs = new (Coin Coin, KeysetDescriptor Descriptor)[request.Inputs.Length];
            var seen = new HashSet<CoinId>();
            for (int i = 0; i < inputs.Length; i++)
            {
                var item = request.Inputs[i];
                var stored = await _store.GetKeysetAsync(item.Coin.Keyset, cancellationToken).ConfigureAwait(false);
                var status = await CheckRecoveryInputAsync(request.Account, item, stored, seen, cancellationToken).ConfigureAwait(false);
                if (status is { } s)
                {
                    return Refused(s, i);
                }

                inputs[i] = (item.Coin, stored!.Announcement.Descriptor);
            }

            var refusal = CheckOutputs(request.Outputs, inputs.Select(x => x.Descriptor), now, out var signers);
            if (refusal is not null)
            {
                return refusal;
            }

            return await CommitAsync(storeKey, hash, isRecovery: true, inputs, request.Outputs, signers, [], now, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static SwapStatus? CheckSwapInput(Coin coin, StoredKeyset? stored, DateTimeOffset now, HashSet<CoinId> seen, SwapSpend spend, KeysetSigner? signer)
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
        if (!descriptor.IsSpendable(now) || !descriptor.IsDepositable(now))
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
        var withdrawer = await _store.FindWithdrawingAccountAsync(blinded, cancellationToken).ConfigureAwait(false);
        if (withdrawer == account)
        {
            return null;
        }

        return withdrawer is null && await _store.FindBlindSignatureAsync(blinded, cancellationToken).ConfigureAwait(false) is not null
            ? null
            : SwapStatus.NotWithdrawnByAccount;
    }

    private SwapResult? CheckOutputs(IReadOnlyList<WithdrawalItem> outputs, IEnumerable<KeysetDescriptor> inputKeysets, DateTimeOffset now, out KeysetSigner[] signers)
    {
        signers = new KeysetSigner[outputs.Count];
        for (int i = 0; i < signers.Length; i++)
        {
            if (!_signers.TryGetValue(outputs[i].Keyset, out var signer) || !signer.Descriptor.IsWithdrawable(now))
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

    private async Task<SwapResult> CommitAsync(
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
        var spent = inputs.Select(x => new SpentCoin(x.Coin.Id, x.Coin.Keyset, x.Descriptor.Denomination)).ToList();
        var issued = signers.Select(s => new KeysetAmount(s.Descriptor.Id, s.Descriptor.Denomination)).ToList();
        var ledger = await _ledger.SwapAsync(storeKey, spent, issued, cancellationToken).ConfigureAwait(false);
        switch (ledger.Status)
        {
            case LedgerStatus.Applied:
                break;
            case LedgerStatus.DoubleSpend:
                return new SwapResult(SwapStatus.DoubleSpend, null, null, []);
            case LedgerStatus.ValueMismatch:
                return Refused(SwapStatus.ValueMismatch);
            case LedgerStatus.KeysetExpired:
                return Refused(SwapStatus.OutsideSpendWindow);
            case LedgerStatus.OutstandingExceeded:
                return Refused(SwapStatus.NotIssued);
            default:
                return Refused(SwapStatus.IdempotencyKeyReused);
        }

        // The ledger entry is committed (or replayed after a crash); blind signing is a function of the blinded
        // message, so a retry finishes with exactly the coins paid for.
        var signatures = new BlindSignature[signers.Length];
        for (int i = 0; i < signers.Length; i++)
        {
            signatures[i] = signers[i].Sign(outputs[i].BlindedMessage);
        }

        var total = Amount.Sum(spent.Select(c => c.Value));
        var response = SwapResponse.Sign(hash, total, signatures, now, _schemeKey);
        var record = new SwapRecord(now, isRecovery, [.. inputs.Select(x => x.Coin)], [.. signers.GroupBy(s => s.Descriptor.Id).Select(g => (g.Key, g.Count()))]);
        await AppendLogOnceAsync(storeKey.Value, LogEntry.ForSwap(record), cancellationToken).ConfigureAwait(false);
        await _store.PutSwapAsync(storeKey, new StoredSwap(hash, response), [.. outputs.Select(o => o.BlindedMessage)], spends, cancellationToken).ConfigureAwait(false);
        return Swapped(response);
    }

    private static SwapResult Swapped(SwapResponse response) => new(SwapStatus.Swapped, response, null, []);

    private static SwapResult Refused(SwapStatus status, int? index = null) => new(status, null, index, []);
}
