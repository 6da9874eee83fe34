using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Wallets.Files;

/// <summary>
/// Loads a decoded wallet file into a fresh wallet's state, checking that it is this wallet's: its keys, coins
/// derived from this seed, and pending entries that name only keysets and counters the file itself holds.
/// </summary>
internal static class WalletStateLoader
{
    /// <summary>Refuses a file saved under another account key or scheme.</summary>
    /// <exception cref="WalletFileException">The keys differ.</exception>
    public static void RequireKeys(WalletFileImage image, Ed25519SigningKey accountKey, Ed25519PublicKey schemeKey)
    {
        if (!image.AccountKey.AsSpan().SequenceEqual(accountKey.PublicKey.AsSpan()) || !image.SchemeKey.AsSpan().SequenceEqual(schemeKey.AsSpan()))
        {
            throw new WalletFileException(WalletFileError.KeyMismatch, "The wallet file belongs to another account key or scheme.");
        }
    }

    /// <summary>Fills <paramref name="context"/>'s (empty) state from <paramref name="image"/>.</summary>
    /// <exception cref="WalletFileException">The file is inconsistent or was not derived from this seed.</exception>
    public static void Load(WalletFileImage image, WalletContext context)
    {
        var state = context.State;
        lock (state.Lock)
        {
            state.TreeHead = image.TreeHead;
            state.ForkEvidence.AddRange(image.ForkEvidence);
            foreach (var (descriptor, next) in image.Keysets)
            {
                BlindRsaPublicKey key;
                try
                {
                    key = descriptor.ImportPublicKey();
                }
                catch (CryptographicException ex)
                {
                    throw new WalletFileException(WalletFileError.Malformed, "A keyset in the wallet file has an unusable key.", ex);
                }

                state.Keysets[descriptor.Id] = new TrustedKeyset(descriptor, key) { NextCounter = next };
            }

            foreach (var (coin, counter) in image.Coins)
            {
                if (!state.Keysets.TryGetValue(coin.Keyset, out var keyset) || counter >= keyset.NextCounter)
                {
                    throw new WalletFileException(WalletFileError.Malformed, "A coin in the wallet file is of an unknown keyset or beyond its counter.");
                }

                if (!context.DeriveCoinId(coin.Keyset, counter).AsSpan().SequenceEqual(coin.Id.Bytes))
                {
                    throw new WalletFileException(WalletFileError.SeedMismatch, "The wallet file's coins were not derived from this seed.");
                }

                state.PutCoin(new WalletCoin(coin, counter, keyset.Descriptor.Denomination));
            }

            state.MarkSpent(image.Spent);
            foreach (var (request, counters) in image.Pending)
            {
                RequireAccount(context, request.Account, "withdrawal");
                state.PendingWithdrawals[request.IdempotencyKey] = new PendingWithdrawal(request, Slots(state, request.Items, counters, "withdrawal"));
            }

            // Payments before pending swaps: an abandon swap's inputs are the spent coins of its payment.
            var paid = new HashSet<CoinId>();
            foreach (var payment in image.Payments)
            {
                LoadPayment(state, payment, paid);
            }

            foreach (var (request, counters) in image.PendingSwaps)
            {
                LoadPendingSwap(state, request.IdempotencyKey, request.Hash(), [.. request.Inputs], request.Outputs, counters, request);
            }

            foreach (var (request, counters) in image.PendingRecoveries)
            {
                RequireAccount(context, request.Account, "recovery");
                LoadPendingSwap(state, request.IdempotencyKey, request.Hash(), [.. request.Inputs.Select(i => i.Coin)], request.Outputs, counters, request);
            }

            // A refund claim reserves no coin: its refunded coins are spent already.
            foreach (var (request, counters) in image.PendingRefundClaims)
            {
                LoadPendingSwap(state, request.IdempotencyKey, request.Hash(), [], request.Outputs, counters, request);
            }

            // Each abandoning payment's swap must be pending and spend exactly the payment's coins.
            foreach (var payment in state.Payments.Values.Where(p => p.State == WalletPaymentState.Abandoning))
            {
                if (!state.PendingSwaps.TryGetValue(payment.AbandonKey!, out var swap) || swap.Request is not SwapRequest || !swap.Inputs.Order().SequenceEqual(payment.Coins))
                {
                    throw new WalletFileException(WalletFileError.Malformed, "A payment being abandoned in the wallet file has no matching pending swap.");
                }
            }

            state.WithdrawalReceipts.AddRange(image.WithdrawalReceipts);
            state.SpendReceipts.AddRange(image.SpendReceipts);
            LoadCheckpoints(image, context);

            // The mandates were verified against the registry when accepted; the file, sealed under the passphrase, keeps them.
            foreach (var mandate in image.Mandates)
            {
                state.Mandates[mandate.Mandate.Id] = mandate;
            }
        }
    }

    // The trusted checkpoint and every piece of evidence must carry the scheme's signature under their origin, as when
    // they were accepted; the witnesses' cosignatures are not checked again (the policy may have changed since).
    private static void LoadCheckpoints(WalletFileImage image, WalletContext context)
    {
        if (image.Checkpoint is { } trusted)
        {
            var log = LogKey(trusted.Checkpoint.Origin, context.SchemeKey);
            if (log is null || !Checkpoint.TryOpen(trusted.Note, new NoteVerifierSet(log), out _))
            {
                throw new WalletFileException(WalletFileError.Malformed, "The trusted checkpoint in the wallet file is not signed by the scheme.");
            }

            context.State.Checkpoint = trusted;
        }

        foreach (var evidence in image.SplitViews)
        {
            if (LogKey(evidence.Origin, context.SchemeKey) is not { } log || !evidence.Verify(log))
            {
                throw new WalletFileException(WalletFileError.Malformed, "Split-view evidence in the wallet file does not verify with the scheme key.");
            }

            context.State.SplitViews.Add(evidence);
        }
    }

    private static Ed25519NoteVerifier? LogKey(string origin, Ed25519PublicKey schemeKey) =>
        LogOrigin.IsValid(origin) ? new Ed25519NoteVerifier(origin, schemeKey) : null;

    // A payment's coins are coins of the wallet that the wallet counts as spent, and no two payments share a coin:
    // `paid` holds the coins of the payments loaded before this one (linear in the coins, where comparing each payment
    // with all others was quadratic in the payments).
    private static void LoadPayment(WalletState state, PaymentRecord payment, HashSet<CoinId> paid)
    {
        if (!state.Payments.TryAdd(payment.Id, payment))
        {
            throw new WalletFileException(WalletFileError.Malformed, "Two payments in the wallet file share a request.");
        }

        if (payment.Coins.Any(c => !state.Coins.ContainsKey(c) || !state.Spent.Contains(c) || !paid.Add(c)))
        {
            throw new WalletFileException(WalletFileError.Malformed, "A payment in the wallet file names a coin the wallet does not hold spent, or one another payment names.");
        }
    }

    private static void RequireAccount(WalletContext context, AccountId account, string what)
    {
        if (account != context.Account)
        {
            throw new WalletFileException(WalletFileError.Malformed, $"A pending {what} in the wallet file is for another account.");
        }
    }

    // The checks make a reloaded pending swap behave as the one prepared: its inputs are unspent coins of this wallet
    // reserved by no other entry, and its outputs are counters already handed out, so no later withdrawal reuses them.
    private static void LoadPendingSwap(WalletState state, IdempotencyKey key, byte[] hash, Coin[] inputs, IReadOnlyList<WithdrawalItem> outputs, ulong[] counters, object request)
    {
        if (state.PendingSwaps.ContainsKey(key))
        {
            throw new WalletFileException(WalletFileError.Malformed, "Two pending swaps in the wallet file share an idempotency key.");
        }

        var reserved = state.Reserved();
        var abandoned = request is SwapRequest ? state.PaymentAbandonedBy(key) : null;
        var ids = new CoinId[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            // An abandon swap spends its payment's coins, which the wallet counts as spent since the payment.
            bool spent = state.Spent.Contains(inputs[i].Id) && !(abandoned?.Coins.Contains(inputs[i].Id) ?? false);
            if (!state.Coins.TryGetValue(inputs[i].Id, out var held) || !held.Coin.Keyset.Equals(inputs[i].Keyset) || spent || !reserved.Add(inputs[i].Id))
            {
                throw new WalletFileException(WalletFileError.Malformed, "A pending swap in the wallet file spends a coin the wallet does not hold unspent and unreserved.");
            }

            ids[i] = inputs[i].Id;
        }

        state.PendingSwaps[key] = new PendingSwap(hash, ids, Slots(state, outputs, counters, "swap"), request);
    }

    // Each new coin's counter must be one its keyset already handed out, so that no later withdrawal reuses it.
    private static CoinSlot[] Slots(WalletState state, IReadOnlyList<WithdrawalItem> items, ulong[] counters, string what)
    {
        var slots = new CoinSlot[counters.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            var keysetId = items[i].Keyset;
            if (!state.Keysets.TryGetValue(keysetId, out var keyset) || counters[i] >= keyset.NextCounter)
            {
                throw new WalletFileException(WalletFileError.Malformed, $"A pending {what} in the wallet file names an unknown keyset or counter.");
            }

            slots[i] = new CoinSlot(keysetId, counters[i]);
        }

        return slots;
    }
}
