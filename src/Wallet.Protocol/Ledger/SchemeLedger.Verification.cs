namespace Wallet.Protocol.Ledger;

// VerifyAsync: the whole journal replayed and compared with the materialised state and the invariants.
public sealed partial class SchemeLedger
{
    /// <summary>
    /// Replays the whole journal from one snapshot, streaming: checks the hash chain and sequence, rebuilds
    /// every balance and keyset counter by folding the entries, and compares them with the store's
    /// materialised state and with every invariant of DESIGN.md section 4. It also checks that every coin an
    /// entry spends is recorded as spent by exactly that entry, that the store records no other spent coin,
    /// and that every entry has its applied outcome under its idempotency key. Memory grows with the number of
    /// accounts and keysets, never with the journal's length (spent coins and outcomes are looked up per entry).
    /// </summary>
    /// <param name="cancellationToken">Cancels the replay.</param>
    /// <returns>The report; <see cref="LedgerVerification.IsValid"/> when everything agrees.</returns>
    /// <exception cref="LedgerStoreException">The store failed or holds an entry that does not decode.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<LedgerVerification> VerifyAsync(CancellationToken cancellationToken = default) => VerifyAsync(null, cancellationToken);

    /// <summary>
    /// Replays and checks the journal as <see cref="VerifyAsync(CancellationToken)"/> does, and also per fund
    /// (docs/PROTOCOL.md section 5.22): no entry moves value between two funds of a worker, and, given each keyset's
    /// fund, every withdrawal, reversal and swap is balanced per fund over the worker sub-balances and outstanding
    /// accounts it touches, so training value can never become general coins.
    /// </summary>
    /// <param name="keysetFunds">
    /// Each keyset's fund, from its published descriptor; a keyset not listed is general. With <see langword="null"/>
    /// only the rules that need no keyset's fund are checked.
    /// </param>
    /// <param name="cancellationToken">Cancels the replay.</param>
    /// <returns>The report; <see cref="LedgerVerification.IsValid"/> when everything agrees.</returns>
    /// <exception cref="LedgerStoreException">The store failed or holds an entry that does not decode.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<LedgerVerification> VerifyAsync(IReadOnlyDictionary<KeysetId, string>? keysetFunds, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        void Problem(string text)
        {
            if (problems.Count < MaxProblems)
            {
                problems.Add(text);
            }
        }

        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var balances = new Dictionary<LedgerAccount, long>();
        var keysets = new Dictionary<KeysetId, KeysetTotals>();
        var head = JournalHead.Empty;
        long journalCoins = 0;
        long entries = 0;
        await foreach (var entry in tx.ReadJournalAsync(1, cancellationToken).ConfigureAwait(false))
        {
            entries++;
            if (entry.Sequence != head.Sequence + 1)
            {
                Problem($"entry {entry.Sequence} follows entry {head.Sequence}");
            }

            if (entry.PreviousHash != head.Hash)
            {
                Problem($"entry {entry.Sequence} does not chain to the hash of entry {head.Sequence}");
            }

            CheckFunds(entry, keysetFunds, Problem);
            try
            {
                foreach (var posting in entry.Postings)
                {
                    balances.TryGetValue(posting.Account, out long before);
                    long after = checked(before + posting.Delta);
                    balances[posting.Account] = after;
                    if (after < 0 && posting.Account.IsNonNegative)
                    {
                        Problem($"entry {entry.Sequence} takes {posting.Account} negative ({after})");
                    }
                }

                foreach (var effect in entry.KeysetEffects)
                {
                    var totals = keysets.TryGetValue(effect.Keyset, out var t) ? t : KeysetTotals.Empty(effect.Keyset);
                    // Stryker disable once Equality : equivalent, an entry has an effect on a keyset only when it posts to its outstanding account, so one of these fields is positive (or it closes it) and > and >= tell apart no real effect.
                    if (totals.IsExpired && (effect.Issued > Amount.Zero || effect.Deposited > Amount.Zero || effect.SwappedIn > Amount.Zero || effect.Reversed > Amount.Zero || effect.Closes))
                    {
                        Problem($"entry {entry.Sequence} moves value of expired keyset {effect.Keyset}");
                    }

                    keysets[effect.Keyset] = totals.Apply(effect);
                }
            }
            catch (OverflowException)
            {
                Problem($"entry {entry.Sequence} takes a balance or keyset counter beyond the range of a 64-bit integer");
            }

            // One indexed lookup per coin keeps memory flat; a coin spent by two entries shows up here because
            // the store can name only one of them.
            foreach (var coin in entry.SpentCoins)
            {
                journalCoins++;
                long? spentIn = await tx.FindSpentAsync(coin.Coin, cancellationToken).ConfigureAwait(false);
                if (spentIn != entry.Sequence)
                {
                    Problem(spentIn is long other
                        ? $"entry {entry.Sequence} spends coin {coin.Coin}, which the store records as spent by entry {other}"
                        : $"entry {entry.Sequence} spends coin {coin.Coin}, which the store does not record as spent");
                }
            }

            var outcome = await tx.FindOutcomeAsync(entry.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            if (outcome is null || outcome.EntrySequence != entry.Sequence || outcome.Status != LedgerStatus.Applied)
            {
                Problem($"entry {entry.Sequence} has no applied outcome under its idempotency key '{entry.IdempotencyKey}'");
            }

            head = new JournalHead(entry.Sequence, entry.Hash);
        }

        var storedHead = await tx.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        if (storedHead != head)
        {
            Problem($"the store's head is entry {storedHead.Sequence} but the journal ends at entry {head.Sequence}");
        }

        long storedCoins = await tx.CountSpentCoinsAsync(cancellationToken).ConfigureAwait(false);
        if (storedCoins != journalCoins)
        {
            Problem($"the store records {storedCoins} spent coins, the journal spends {journalCoins}");
        }

        // Refusals are stored as outcomes without an entry, so only outcomes naming an entry are counted.
        long entryOutcomes = await tx.CountEntryOutcomesAsync(cancellationToken).ConfigureAwait(false);
        if (entryOutcomes != entries)
        {
            Problem($"the store holds {entryOutcomes} outcomes naming an entry, the journal has {entries} entries");
        }

        long sum = 0;
        try
        {
            foreach (var balance in balances.Values)
            {
                // Stryker disable once Checked : equivalent for the verdict, an overflow and a wrapped non-zero sum are both a problem reported.
                sum = checked(sum + balance);
            }
        }
        catch (OverflowException)
        {
            sum = long.MaxValue;
        }

        if (sum != 0)
        {
            Problem($"the balances sum to {sum}, not zero");
        }

        var materialised = new HashSet<LedgerAccount>();
        await foreach (var stored in tx.ReadBalancesAsync(cancellationToken).ConfigureAwait(false))
        {
            materialised.Add(stored.Account);
            balances.TryGetValue(stored.Account, out long rebuilt);
            if (rebuilt != stored.Balance)
            {
                Problem($"{stored.Account}: stored balance {stored.Balance}, journal gives {rebuilt}");
            }
        }

        foreach (var (account, rebuilt) in balances)
        {
            if (rebuilt != 0 && !materialised.Contains(account))
            {
                Problem($"{account}: no stored balance, journal gives {rebuilt}");
            }
        }

        int storedKeysets = 0;
        await foreach (var stored in tx.ReadKeysetsAsync(cancellationToken).ConfigureAwait(false))
        {
            storedKeysets++;
            if (!keysets.TryGetValue(stored.Keyset, out var rebuilt) || rebuilt != stored)
            {
                Problem($"keyset {stored.Keyset}: stored counters {stored}, journal gives {rebuilt?.ToString() ?? "none"}");
            }
        }

        if (storedKeysets != keysets.Count)
        {
            Problem($"the store holds {storedKeysets} keysets, the journal names {keysets.Count}");
        }

        foreach (var totals in keysets.Values)
        {
            balances.TryGetValue(LedgerAccount.Outstanding(totals.Keyset), out long outstanding);
            Int128 accounted = (Int128)outstanding + totals.Deposited.MinorUnits + totals.SwappedIn.MinorUnits + totals.Expired.MinorUnits + totals.Reversed.MinorUnits;
            if (accounted != totals.Issued.MinorUnits)
            {
                Problem($"keyset {totals.Keyset}: issued {totals.Issued} but outstanding + deposited + swapped in + expired + reversed = {accounted}");
            }

            if (totals.IsExpired && outstanding != 0)
            {
                Problem($"keyset {totals.Keyset} is expired with {outstanding} still outstanding");
            }
        }

        return new LedgerVerification(head.Sequence, head, balances.Count(b => b.Value != 0), problems);
    }
}
