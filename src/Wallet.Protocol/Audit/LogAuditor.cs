using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Coins;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Log;
using Wallet.Protocol.Registry;

namespace Wallet.Protocol.Audit;

/// <summary>
/// The auditor role: replays the public log and tree heads alone and checks the audit properties of DESIGN.md
/// section 3: tree heads signed and consistent with the log; keysets and registries properly signed; every spent
/// coin carries a valid issuer signature and appears once; per keyset, coins spent (deposited, swapped or recovered)
/// never exceed coins issued (withdrawn or swapped in); every swap conserves value per fund;
/// windows respected; a registry was in force at every deposit. Every violation is reported, not just the first.
/// </summary>
/// <remarks>
/// The log deliberately carries no provider per coin (coercion resistance), so "every deposit went to an accredited
/// provider" is checked by the scheme per deposit and, here, only as "a registry was in force"; see docs/PROTOCOL.md "Audit".
/// </remarks>
public sealed class LogAuditor
{
    private readonly Ed25519PublicKey _schemeKey;
    private readonly Ed25519PublicKey _accreditationKey;

    /// <summary>Creates an auditor for one scheme.</summary>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public LogAuditor(Ed25519PublicKey schemeKey, Ed25519PublicKey accreditationKey)
    {
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentNullException.ThrowIfNull(accreditationKey);
        _schemeKey = schemeKey;
        _accreditationKey = accreditationKey;
    }

    /// <summary>Replays <paramref name="entries"/> (the whole log, in order) against <paramref name="treeHeads"/>.</summary>
    /// <param name="entries">Every log entry from index 0.</param>
    /// <param name="treeHeads">Signed tree heads collected over time (by wallets, providers, the auditor itself).</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public AuditReport Audit(IReadOnlyList<LogEntry> entries, IReadOnlyList<SignedTreeHead> treeHeads)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(treeHeads);
        var violations = new List<AuditViolation>();
        var leaves = entries.Select(e => e.LeafHash()).ToArray();
        foreach (var head in treeHeads)
        {
            if (!head.Verify(_schemeKey))
            {
                violations.Add(new(head.TreeSize, AuditViolationKind.BadTreeHeadSignature, $"Tree head of size {head.TreeSize} is not signed by the scheme."));
            }
            else if (head.TreeSize > (ulong)leaves.Length || MerkleTree.ComputeRoot(leaves.AsSpan(0, (int)head.TreeSize)) != head.RootHash)
            {
                violations.Add(new(head.TreeSize, AuditViolationKind.TreeHeadMismatch, $"Tree head of size {head.TreeSize} has root {head.RootHash}, which the log does not produce."));
            }
        }

        var keysets = new Dictionary<KeysetId, KeysetDescriptor>();
        var order = new List<KeysetId>();
        var issued = new Dictionary<KeysetId, long>();
        var spent = new Dictionary<KeysetId, long>();
        var coins = new HashSet<CoinId>();
        AccreditationRegistry? registry = null;
        var verifiers = new Dictionary<KeysetId, (BlindRsaPublicKey Key, BlindRsaVerifier Verifier)>();
        var allocations = new AllocationChecks(_accreditationKey);
        try
        {
            Replay(entries, violations, keysets, order, issued, spent, coins, registry, verifiers, allocations);
        }
        finally
        {
            foreach (var (key, _) in verifiers.Values)
            {
                key.Dispose();
            }
        }

        return new AuditReport((ulong)entries.Count, violations, [.. order.Select(k => new KeysetAudit(k, issued.GetValueOrDefault(k), spent.GetValueOrDefault(k)))]);
    }

    private void Replay(
        IReadOnlyList<LogEntry> entries,
        List<AuditViolation> violations,
        Dictionary<KeysetId, KeysetDescriptor> keysets,
        List<KeysetId> order,
        Dictionary<KeysetId, long> issued,
        Dictionary<KeysetId, long> spent,
        HashSet<CoinId> coins,
        AccreditationRegistry? registry,
        Dictionary<KeysetId, (BlindRsaPublicKey Key, BlindRsaVerifier Verifier)> verifiers,
        AllocationChecks allocations)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            ulong at = (ulong)i;
            var entry = entries[i];
            switch (entry.Kind)
            {
                case LogEntryKind.KeysetAnnounced:
                    var descriptor = entry.Keyset!.Descriptor;
                    if (!entry.Keyset.Verify(_schemeKey) || !keysets.TryAdd(descriptor.Id, descriptor))
                    {
                        violations.Add(new(at, AuditViolationKind.BadKeysetAnnouncement, $"Keyset {descriptor.Id} is unsigned or announced twice."));
                    }
                    else
                    {
                        order.Add(descriptor.Id);
                    }

                    break;
                case LogEntryKind.RegistryPublished:
                    var next = entry.Registry!;
                    if (!next.Verify(_accreditationKey) || (registry is not null && next.Version <= registry.Version))
                    {
                        violations.Add(new(at, AuditViolationKind.BadRegistry, $"Registry version {next.Version} is unsigned or does not increase."));
                    }
                    else
                    {
                        registry = next;
                    }

                    break;
                case LogEntryKind.KeysetExpired:
                    var expiry = entry.Expiry!;
                    if (!keysets.TryGetValue(expiry.Keyset, out var closed))
                    {
                        violations.Add(new(at, AuditViolationKind.UnknownKeyset, $"Expiry of unannounced keyset {expiry.Keyset}."));
                        break;
                    }

                    allocations.OnExpiry(expiry);
                    long unspent = (issued.GetValueOrDefault(expiry.Keyset) - spent.GetValueOrDefault(expiry.Keyset)) * closed.Denomination.MinorUnits;
                    if (expiry.Value.MinorUnits != unspent || closed.IsDepositable(expiry.ExpiredAt))
                    {
                        violations.Add(new(at, AuditViolationKind.ExpiryMismatch, $"Keyset {expiry.Keyset} expired {expiry.Value} at {expiry.ExpiredAt:O}; the log gives {unspent} unspent."));
                    }

                    break;
                case LogEntryKind.AllocationTablePublished:
                    allocations.OnTable(at, entry.AllocationTable!, violations);
                    break;
                case LogEntryKind.DefaultAllocated:
                    allocations.OnAllocation(at, entry.Allocation!, keysets, registry, violations);
                    break;
                case LogEntryKind.CoinsIssued:
                    foreach (var (keyset, count) in entry.Issuance!.Counts)
                    {
                        if (!keysets.TryGetValue(keyset, out var d))
                        {
                            violations.Add(new(at, AuditViolationKind.UnknownKeyset, $"Coins issued for unannounced keyset {keyset}."));
                            continue;
                        }

                        if (!d.IsWithdrawable(entry.Issuance.IssuedAt))
                        {
                            violations.Add(new(at, AuditViolationKind.OutsideWindow, $"Coins of keyset {keyset} issued outside its withdrawal window."));
                        }

                        issued[keyset] = issued.GetValueOrDefault(keyset) + count;
                    }

                    break;
                case LogEntryKind.CoinsSwapped:
                    AuditSwap(at, entry.Swap!, violations, keysets, issued, spent, coins, verifiers);
                    break;
                default:
                    var record = entry.SpentCoins!;
                    if (registry is null || registry.IssuedAt > record.SpentAt)
                    {
                        violations.Add(new(at, AuditViolationKind.NoRegistryInForce, "Coins deposited while no registry was in force."));
                    }

                    foreach (var coin in record.Coins)
                    {
                        SpendCoin(at, coin, record.SpentAt, "deposited", violations, keysets, issued, spent, coins, verifiers);
                    }

                    break;
            }
        }
    }

    // Inputs count as spent and outputs as issued in the per-keyset checks; value must balance within every fund.
    private static void AuditSwap(
        ulong at,
        SwapRecord record,
        List<AuditViolation> violations,
        Dictionary<KeysetId, KeysetDescriptor> keysets,
        Dictionary<KeysetId, long> issued,
        Dictionary<KeysetId, long> spent,
        HashSet<CoinId> coins,
        Dictionary<KeysetId, (BlindRsaPublicKey Key, BlindRsaVerifier Verifier)> verifiers)
    {
        var perFund = new Dictionary<string, long>(StringComparer.Ordinal);
        bool complete = true;
        foreach (var coin in record.Inputs)
        {
            if (SpendCoin(at, coin, record.SwappedAt, record.IsRecovery ? "recovered" : "swapped", violations, keysets, issued, spent, coins, verifiers) is { } d)
            {
                perFund[d.Fund] = perFund.GetValueOrDefault(d.Fund) + d.Denomination.MinorUnits;
            }
            else
            {
                complete = false;
            }
        }

        foreach (var (keyset, count) in record.Outputs)
        {
            if (!keysets.TryGetValue(keyset, out var d))
            {
                violations.Add(new(at, AuditViolationKind.UnknownKeyset, $"Coins swapped into unannounced keyset {keyset}."));
                complete = false;
                continue;
            }

            if (!d.IsWithdrawable(record.SwappedAt))
            {
                violations.Add(new(at, AuditViolationKind.OutsideWindow, $"Coins of keyset {keyset} issued by a swap outside its withdrawal window."));
            }

            issued[keyset] = issued.GetValueOrDefault(keyset) + count;
            perFund[d.Fund] = perFund.GetValueOrDefault(d.Fund) - (count * d.Denomination.MinorUnits);
        }

        if (complete && perFund.Values.Any(v => v != 0))
        {
            violations.Add(new(at, AuditViolationKind.SwapValueMismatch, $"A swap of {record.Inputs.Length} coins does not conserve value per fund."));
        }
    }

    private static KeysetDescriptor? SpendCoin(
        ulong at,
        Coin coin,
        DateTimeOffset spentAt,
        string how,
        List<AuditViolation> violations,
        Dictionary<KeysetId, KeysetDescriptor> keysets,
        Dictionary<KeysetId, long> issued,
        Dictionary<KeysetId, long> spent,
        HashSet<CoinId> coins,
        Dictionary<KeysetId, (BlindRsaPublicKey Key, BlindRsaVerifier Verifier)> verifiers)
    {
        if (!keysets.TryGetValue(coin.Keyset, out var d))
        {
            violations.Add(new(at, AuditViolationKind.UnknownKeyset, $"Coin {coin.Id} of unannounced keyset {coin.Keyset}."));
            return null;
        }

        if (!coins.Add(coin.Id))
        {
            violations.Add(new(at, AuditViolationKind.DuplicateSpend, $"Coin {coin.Id} is spent again."));
        }

        if (!VerifyIssuer(coin, d, verifiers))
        {
            violations.Add(new(at, AuditViolationKind.BadIssuerSignature, $"Coin {coin.Id} has an invalid issuer signature."));
        }

        if (!d.IsDepositable(spentAt))
        {
            violations.Add(new(at, AuditViolationKind.OutsideWindow, $"Coin {coin.Id} {how} after keyset {coin.Keyset} closed."));
        }

        long total = spent[coin.Keyset] = spent.GetValueOrDefault(coin.Keyset) + 1;
        if (total > issued.GetValueOrDefault(coin.Keyset))
        {
            violations.Add(new(at, AuditViolationKind.SpentExceedsIssued, $"Keyset {coin.Keyset}: {total} coins spent, {issued.GetValueOrDefault(coin.Keyset)} issued."));
        }

        return d;
    }

    private static bool VerifyIssuer(Coin coin, KeysetDescriptor descriptor, Dictionary<KeysetId, (BlindRsaPublicKey Key, BlindRsaVerifier Verifier)> verifiers)
    {
        if (!verifiers.TryGetValue(descriptor.Id, out var cached))
        {
            try
            {
                var key = descriptor.ImportPublicKey();
                cached = (key, new BlindRsaVerifier(descriptor.Algorithm, key));
                verifiers[descriptor.Id] = cached;
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                return false;
            }
        }

        return coin.VerifyIssuerWith(descriptor, cached.Verifier);
    }
}
