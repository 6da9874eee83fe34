namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// Withdrawal, wallet side: blind fresh seed-derived coins into a signed request, then unblind and verify the scheme's
/// signatures and receipt. The request stays pending (and in the wallet file) until completed.
/// </summary>
/// <remarks>DESIGN.md section 3 flow 2; RFC 9474 sections 4.2 and 4.4.</remarks>
internal sealed class WithdrawFlow(WalletContext context)
{
    private readonly WalletState _state = context.State;

    public WithdrawalRequest Prepare(IdempotencyKey key, IReadOnlyList<KeysetId> keysets)
    {
        lock (_state.Lock)
        {
            if (_state.PendingWithdrawals.ContainsKey(key))
            {
                throw new ArgumentException("A withdrawal with this key is pending.", nameof(key));
            }

            var trusted = new TrustedKeyset[keysets.Count];
            for (int i = 0; i < trusted.Length; i++)
            {
                trusted[i] = _state.Keysets.TryGetValue(keysets[i], out var keyset) ? keyset : throw new ArgumentException("The keyset is not trusted.", nameof(keysets));
            }

            var (items, slots) = context.BlindOutputs(trusted);
            var request = WithdrawalRequest.Sign(context.Account, key, items, context.Now, context.AccountKey);
            _state.PendingWithdrawals[key] = new PendingWithdrawal(request, slots);
            return request;
        }
    }

    public WithdrawalPreparation PrepareUniform(IdempotencyKey key, Amount balance)
    {
        var now = context.Now;
        List<KeysetId> split;
        lock (_state.Lock)
        {
            // Per denomination, the general-fund keyset withdrawable longest; largest denomination first.
            var largestFirst = _state.Keysets.Values
                .Where(k => k.Descriptor.Fund == KeysetDescriptor.GeneralFund && k.Descriptor.IsWithdrawable(now))
                .GroupBy(k => k.Descriptor.Denomination)
                .Select(g => g.OrderBy(k => k.Descriptor.WithdrawUntil).Last())
                .OrderByDescending(k => k.Descriptor.Denomination)
                .ToList();
            if (largestFirst.Count == 0)
            {
                return new WithdrawalPreparation(WithdrawalPreparationStatus.NoWithdrawableKeyset, null);
            }

            // A remainder below the smallest denomination stays in the account.
            split = DenominationSplit.Greedy(largestFirst, balance.MinorUnits, WithdrawalRequest.MaxItems, out _) is { } coins
                ? [.. coins.Select(k => k.Descriptor.Id)]
                : throw new ArgumentException("A withdrawal has 1 to 1024 coins.", "keysets");
        }

        return split.Count == 0
            ? new WithdrawalPreparation(WithdrawalPreparationStatus.NothingToWithdraw, null)
            : new WithdrawalPreparation(WithdrawalPreparationStatus.Ready, Prepare(key, split));
    }

    /// <summary>
    /// Drops a pending withdrawal whose answer was a final refusal. Every <see cref="WithdrawalStatus"/> but
    /// <see cref="WithdrawalStatus.Issued"/> and <see cref="WithdrawalStatus.SigningKeyUnavailable"/> means the scheme
    /// committed no debit for this request (<see cref="WithdrawalStatus.IdempotencyKeyReused"/>: the key's debit, if any,
    /// is another request's). The counters stay used, so a restore would still find the coins if a debit ever happened.
    /// </summary>
    public WithdrawalAbandonment Abandon(IdempotencyKey key, WithdrawalStatus answer)
    {
        bool final = Enum.IsDefined(answer) && answer is not (WithdrawalStatus.Issued or WithdrawalStatus.SigningKeyUnavailable);
        lock (_state.Lock)
        {
            if (!_state.PendingWithdrawals.ContainsKey(key))
            {
                return WithdrawalAbandonment.UnknownRequest;
            }

            if (!final)
            {
                return WithdrawalAbandonment.MayBeDebited;
            }

            _state.DropPendingWithdrawal(key);
            return WithdrawalAbandonment.Abandoned;
        }
    }

    public WithdrawalCompletion Complete(WithdrawalRequest request, WithdrawalResponse response)
    {
        lock (_state.Lock)
        {
            if (!_state.PendingWithdrawals.TryGetValue(request.IdempotencyKey, out var pending) || pending.Slots.Length != request.Items.Length)
            {
                return WithdrawalCompletion.UnknownRequest;
            }

            if (!response.Receipt.Verify(request, context.SchemeKey) || response.BlindSignatures.Length != pending.Slots.Length)
            {
                return WithdrawalCompletion.BadReceipt;
            }

            if (context.UnblindAll(pending.Slots, response.BlindSignatures) is not { } coins)
            {
                return WithdrawalCompletion.BadSignature;
            }

            _state.AddCoins(coins);
            _state.WithdrawalReceipts.Add(response.Receipt);
            _state.DropPendingWithdrawal(request.IdempotencyKey);
            return WithdrawalCompletion.Completed;
        }
    }

    // docs/PROTOCOL.md 5.3: the scheme returned the debit instead of coins; the pending request is dropped.
    public WithdrawalCompletion CompleteReversed(WithdrawalRequest request, WithdrawalReversalReceipt reversal)
    {
        lock (_state.Lock)
        {
            if (!_state.PendingWithdrawals.TryGetValue(request.IdempotencyKey, out var pending))
            {
                return WithdrawalCompletion.UnknownRequest;
            }

            if (!reversal.Verify(pending.Request, context.SchemeKey))
            {
                return WithdrawalCompletion.BadReceipt;
            }

            _state.DropPendingWithdrawal(request.IdempotencyKey);
            return WithdrawalCompletion.Completed;
        }
    }
}
