namespace Wallet.Protocol.Audit;

/// <summary>
/// The running totals of one replay of the log: the keysets announced so far, coins issued and spent per keyset, the
/// coins already seen, and every violation found. Issuance and spending are checked here once, whichever kind of
/// entry (withdrawal, deposit, swap, recovery) issues or spends the coins.
/// </summary>
internal sealed class AuditTally : IDisposable
{
    private readonly HashSet<CoinId> _coins = [];

    // One imported key per keyset: verifying every spent coin must not re-import it each time.
    private readonly Dictionary<KeysetId, (BlindRsaPublicKey Key, BlindRsaVerifier Verifier)> _verifiers = [];

    /// <summary>Every violation found so far, in log order.</summary>
    public List<AuditViolation> Violations { get; } = [];

    /// <summary>The keysets announced so far.</summary>
    public Dictionary<KeysetId, KeysetDescriptor> Keysets { get; } = [];

    /// <summary>The keysets in the order they were announced (the report's order).</summary>
    public List<KeysetId> Order { get; } = [];

    /// <summary>Coins issued per keyset.</summary>
    public Dictionary<KeysetId, long> Issued { get; } = [];

    /// <summary>Coins spent per keyset.</summary>
    public Dictionary<KeysetId, long> Spent { get; } = [];

    /// <summary>Coins of reversed withdrawals per keyset: paid for, never issued, so not in <see cref="Issued"/>.</summary>
    public Dictionary<KeysetId, long> Reversed { get; } = [];

    /// <summary>Counts <paramref name="count"/> coins of <paramref name="keyset"/> that a reversed withdrawal paid for and never got.</summary>
    public void Reverse(ulong at, KeysetId keyset, long count)
    {
        if (!Keysets.ContainsKey(keyset))
        {
            Add(at, AuditViolationKind.UnknownKeyset, $"Reversal of coins of unannounced keyset {keyset}.");
            return;
        }

        Reversed[keyset] = Reversed.GetValueOrDefault(keyset) + count;
    }

    /// <summary>Records a violation at log index <paramref name="at"/>.</summary>
    public void Add(ulong at, AuditViolationKind kind, string detail) => Violations.Add(new(at, kind, detail));

    /// <summary>Counts <paramref name="count"/> coins issued into <paramref name="keyset"/>, checking it is announced and open for withdrawal.</summary>
    /// <returns>The keyset, or null when it was never announced (nothing is counted then).</returns>
    public KeysetDescriptor? Issue(ulong at, KeysetId keyset, long count, DateTimeOffset issuedAt, bool bySwap)
    {
        if (!Keysets.TryGetValue(keyset, out var d))
        {
            Add(at, AuditViolationKind.UnknownKeyset, $"Coins {(bySwap ? "swapped into" : "issued for")} unannounced keyset {keyset}.");
            return null;
        }

        if (!d.IsWithdrawable(issuedAt))
        {
            Add(at, AuditViolationKind.OutsideWindow, $"Coins of keyset {keyset} issued{(bySwap ? " by a swap" : "")} outside its withdrawal window.");
        }

        Issued[keyset] = Issued.GetValueOrDefault(keyset) + count;
        return d;
    }

    /// <summary>
    /// Counts <paramref name="coin"/> spent at <paramref name="spentAt"/> (<paramref name="how"/> words it in the
    /// violations): announced keyset, spent once, issuer signature, deposit window, and no more spent than issued.
    /// </summary>
    /// <returns>The coin's keyset, or null when it was never announced.</returns>
    public KeysetDescriptor? Spend(ulong at, Coin coin, DateTimeOffset spentAt, string how)
    {
        if (!Keysets.TryGetValue(coin.Keyset, out var d))
        {
            Add(at, AuditViolationKind.UnknownKeyset, $"Coin {coin.Id} of unannounced keyset {coin.Keyset}.");
            return null;
        }

        if (!_coins.Add(coin.Id))
        {
            Add(at, AuditViolationKind.DuplicateSpend, $"Coin {coin.Id} is spent again.");
        }

        if (!VerifyIssuer(coin, d))
        {
            Add(at, AuditViolationKind.BadIssuerSignature, $"Coin {coin.Id} has an invalid issuer signature.");
        }

        if (!d.IsDepositable(spentAt))
        {
            Add(at, AuditViolationKind.OutsideWindow, $"Coin {coin.Id} {how} after keyset {coin.Keyset} closed.");
        }

        long total = Spent[coin.Keyset] = Spent.GetValueOrDefault(coin.Keyset) + 1;
        if (total > Issued.GetValueOrDefault(coin.Keyset))
        {
            Add(at, AuditViolationKind.SpentExceedsIssued, $"Keyset {coin.Keyset}: {total} coins spent, {Issued.GetValueOrDefault(coin.Keyset)} issued.");
        }

        return d;
    }

    /// <summary>Disposes the imported keyset keys.</summary>
    public void Dispose()
    {
        foreach (var (key, _) in _verifiers.Values)
        {
            key.Dispose();
        }
    }

    private bool VerifyIssuer(Coin coin, KeysetDescriptor descriptor)
    {
        if (!_verifiers.TryGetValue(descriptor.Id, out var cached))
        {
            try
            {
                var key = descriptor.ImportPublicKey();
                cached = (key, new BlindRsaVerifier(descriptor.Algorithm, key));
                _verifiers[descriptor.Id] = cached;
            }
            catch (CryptographicException)
            {
                return false;
            }
        }

        return coin.VerifyIssuerWith(descriptor, cached.Verifier);
    }
}
