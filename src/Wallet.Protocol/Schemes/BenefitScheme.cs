using System.Collections.Concurrent;
using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Diagnostics;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Transport;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Schemes;

/// <summary>
/// The scheme (issuer) role of PB/1: keyset lifecycle, account keys, withdrawals, deposits, restore queries and
/// the transparency log. Value moves only through <see cref="SchemeLedger"/>; this class adds the cryptographic
/// checks, the stored responses and the log around it.
/// </summary>
/// <remarks>
/// DESIGN.md section 3 and docs/PROTOCOL.md "Scheme". Blind-signing keys live only in this object (never in the
/// store); after a restart call <see cref="AnnounceKeysetAsync(KeysetDescriptor, BlindRsaPrivateKey, CancellationToken)"/> again with each key: it is idempotent.
/// Expected outcomes (insufficient funds, double spend, ...) are result values, not exceptions.
/// </remarks>
public sealed partial class BenefitScheme : ISchemeClient
{
    private readonly Ed25519SigningKey _schemeKey;
    private readonly Ed25519PublicKey _accreditationKey;
    private readonly SchemeLedger _ledger;
    private readonly ISchemeStore _store;
    private readonly MerkleLog _log;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<KeysetId, KeysetSigner> _signers = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates the scheme role over its stores. The keys are not owned.</summary>
    /// <param name="schemeKey">The scheme's Ed25519 key (announcements, receipts, tree heads).</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <param name="ledger">The double-entry ledger.</param>
    /// <param name="store">The scheme store.</param>
    /// <param name="logStore">The Merkle node store of the transparency log.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public BenefitScheme(Ed25519SigningKey schemeKey, Ed25519PublicKey accreditationKey, SchemeLedger ledger, ISchemeStore store, IMerkleLogStore logStore, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentNullException.ThrowIfNull(accreditationKey);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(logStore);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _schemeKey = schemeKey;
        _accreditationKey = accreditationKey;
        _ledger = ledger;
        _store = store;
        _log = new MerkleLog(logStore);
        _time = timeProvider;
    }

    /// <summary>The scheme's public key: wallets, providers and auditors verify everything the scheme signs with it.</summary>
    public Ed25519PublicKey PublicKey => _schemeKey.PublicKey;

    /// <summary>
    /// Announces a keyset: signs its descriptor, stores it and appends it to the log, then keeps the blind-signing
    /// key in memory. Idempotent: a known keyset only gets its key attached again.
    /// </summary>
    /// <param name="descriptor">The descriptor.</param>
    /// <param name="signingKey">The matching RSA private key (partially blind mode: the master key). Not owned.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The stored keyset with its log index.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key does not match the descriptor's public key or mode.</exception>
    public async Task<StoredKeyset> AnnounceKeysetAsync(KeysetDescriptor descriptor, BlindRsaPrivateKey signingKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(signingKey);
        if (!signingKey.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(descriptor.PublicKey)
            || signingKey.Scheme != descriptor.Algorithm.Scheme)
        {
            throw new ArgumentException("The key does not match the descriptor.", nameof(signingKey));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await _store.GetKeysetAsync(descriptor.Id, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                var announcement = KeysetAnnouncement.Sign(descriptor, _schemeKey);
                var (index, _) = await AppendLogOnceAsync($"k-{descriptor.Id}", LogEntry.ForKeyset(announcement), cancellationToken).ConfigureAwait(false);
                stored = new StoredKeyset(announcement, index, Revoked: false);
                await _store.PutKeysetAsync(stored, cancellationToken).ConfigureAwait(false);
            }

            _signers[descriptor.Id] = new KeysetSigner(descriptor, signingKey);
            return stored;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Revokes a keyset: no further withdrawals or deposits of its coins.</summary>
    /// <param name="keyset">The keyset id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the keyset was known.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    public async Task<bool> RevokeKeysetAsync(KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        _signers.TryRemove(keyset, out _);
        return await _store.RevokeKeysetAsync(keyset, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes a keyset after its deposit window (flow 6): the unspent value moves to the expired account in the ledger
    /// and an expiry entry is logged. <see cref="AllocateExpiredAsync"/> then directs that value by the default-allocation table.
    /// </summary>
    /// <param name="keyset">The keyset id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The expiry record, or null when the keyset is unknown, still depositable, or already closed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    public async Task<ExpiryRecord?> ExpireKeysetAsync(KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        var stored = await _store.GetKeysetAsync(keyset, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (stored is null || stored.Announcement.Descriptor.IsDepositable(now))
        {
            return null;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ledgerKey = new IdempotencyKey($"x-{keyset}");
            var result = await _ledger.ExpireAsync(ledgerKey, keyset, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return null;
            }

            // A replay still logs: the first attempt may have died between the ledger entry and its log entry.
            long value = result.Entry!.Postings.Where(p => p.Account == LedgerAccount.Expired).Sum(p => p.Delta);
            var record = new ExpiryRecord(keyset, now, Amount.FromMinorUnits(value));
            await AppendLogOnceAsync(ledgerKey.Value, LogEntry.ForExpiry(record), cancellationToken).ConfigureAwait(false);
            _signers.TryRemove(keyset, out _);
            return result.IsReplay ? null : record;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Lists the announced keysets with their log indexes.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The keysets.</returns>
    public async Task<IReadOnlyList<StoredKeyset>> ListKeysetsAsync(CancellationToken cancellationToken = default) =>
        await _store.ListKeysetsAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Lists every published accreditation registry version, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The registry versions.</returns>
    public async Task<IReadOnlyList<AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken = default) =>
        await _store.ListRegistriesAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Publishes a registry version signed by the accreditation body: stored and logged.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>False when the signature is invalid or the version does not increase.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    public async Task<bool> PublishRegistryAsync(AccreditationRegistry registry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!registry.Verify(_accreditationKey))
        {
            return false;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var existing = await _store.ListRegistriesAsync(cancellationToken).ConfigureAwait(false);
            if (existing.Count > 0 && (existing[^1].Version >= registry.Version || existing[^1].IssuedAt > registry.IssuedAt))
            {
                return false;
            }

            await AppendLogOnceAsync($"r-{registry.Version}", LogEntry.ForRegistry(registry), cancellationToken).ConfigureAwait(false);
            await _store.PutRegistryAsync(registry, cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Registers a worker's account key (the key that signs withdrawal requests).</summary>
    /// <param name="account">The account.</param>
    /// <param name="accountKey">The public key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public async Task RegisterAccountAsync(AccountId account, Ed25519PublicKey accountKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(accountKey);
        await _store.PutAccountKeyAsync(account, accountKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Credits a worker's account from a contribution source (flow 1).</summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="source">The source.</param>
    /// <param name="worker">The worker.</param>
    /// <param name="amount">The amount.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The ledger result.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public Task<LedgerResult> ContributeAsync(IdempotencyKey key, ContributionSource source, AccountId worker, Amount amount, CancellationToken cancellationToken = default) =>
        _ledger.ContributeAsync(key, source, worker, amount, cancellationToken);

    /// <summary>The balance of a worker's account, in minor units.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The balance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="worker"/> is null.</exception>
    public Task<long> GetWorkerBalanceAsync(AccountId worker, CancellationToken cancellationToken = default) =>
        _ledger.GetBalanceAsync(LedgerAccount.Worker(worker), cancellationToken);

    /// <summary>The payable balance of a provider, in minor units.</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The balance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is null.</exception>
    public Task<long> GetProviderBalanceAsync(AccountId provider, CancellationToken cancellationToken = default) =>
        _ledger.GetBalanceAsync(LedgerAccount.Provider(provider), cancellationToken);

    /// <summary>
    /// Honours a withdrawal (flow 2): account signature, idempotency, keyset windows and sizes, one ledger debit,
    /// blind signatures (the signer verifies its own output, RFC 9474 section 4.3), a signed receipt, and the
    /// response stored for replay and restore. A retry with the same request returns the stored response.
    /// </summary>
    /// <param name="request">The signed request.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public async Task<WithdrawalResult> WithdrawAsync(WithdrawalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = ProtocolTelemetry.StartWithdrawal();
        var accountKey = await _store.GetAccountKeyAsync(request.Account, cancellationToken).ConfigureAwait(false);
        if (accountKey is null)
        {
            return new WithdrawalResult(WithdrawalStatus.UnknownAccount, null);
        }

        if (!request.Verify(accountKey))
        {
            return new WithdrawalResult(WithdrawalStatus.BadSignature, null);
        }

        byte[] hash = request.Hash();
        var previous = await _store.GetWithdrawalAsync(request.Account, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (previous is not null)
        {
            return previous.RequestHash.Span.SequenceEqual(hash)
                ? new WithdrawalResult(WithdrawalStatus.Issued, previous.Response)
                : new WithdrawalResult(WithdrawalStatus.IdempotencyKeyReused, null);
        }

        var now = _time.GetUtcNow();
        var signers = new KeysetSigner[request.Items.Length];
        for (int i = 0; i < signers.Length; i++)
        {
            var item = request.Items[i];
            if (!_signers.TryGetValue(item.Keyset, out var signer))
            {
                return new WithdrawalResult(WithdrawalStatus.UnknownKeyset, null);
            }

            if (!signer.Descriptor.IsWithdrawable(now))
            {
                return new WithdrawalResult(WithdrawalStatus.KeysetNotWithdrawable, null);
            }

            if (!signer.Fits(item.BlindedMessage))
            {
                return new WithdrawalResult(WithdrawalStatus.MalformedItem, null);
            }

            signers[i] = signer;
        }

        var coins = signers.Select(s => new KeysetAmount(s.Descriptor.Id, s.Descriptor.Denomination)).ToArray();
        var ledgerKey = LedgerKey("w", request.Account.Value, request.IdempotencyKey);
        var debit = await _ledger.WithdrawAsync(ledgerKey, request.Account, coins, cancellationToken).ConfigureAwait(false);
        switch (debit.Status)
        {
            case LedgerStatus.Applied:
                break;
            case LedgerStatus.InsufficientFunds:
                return new WithdrawalResult(WithdrawalStatus.InsufficientFunds, null);
            case LedgerStatus.KeysetExpired:
                return new WithdrawalResult(WithdrawalStatus.KeysetNotWithdrawable, null);
            default:
                return new WithdrawalResult(WithdrawalStatus.IdempotencyKeyReused, null);
        }

        // The debit is committed (or replayed after a crash): signing is deterministic per blinded message, so
        // finishing here after a crash gives the worker exactly the coins paid for.
        var signatures = new BlindSignature[signers.Length];
        long signingStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < signers.Length; i++)
        {
            signatures[i] = signers[i].Sign(request.Items[i].BlindedMessage);
        }

        ProtocolTelemetry.Signed(signers.Length, System.Diagnostics.Stopwatch.GetElapsedTime(signingStarted));

        var total = Amount.Sum(coins.Select(c => c.Value));
        var response = new WithdrawalResponse(WithdrawalReceipt.Sign(request, total, now, _schemeKey), signatures);
        var issuance = new IssuanceRecord(now, [.. coins.GroupBy(c => c.Keyset).Select(g => (g.Key, g.Count()))]);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Checked under the gate so two concurrent retries log the issuance once and answer alike.
            var raced = await _store.GetWithdrawalAsync(request.Account, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            if (raced is not null)
            {
                return new WithdrawalResult(WithdrawalStatus.Issued, raced.Response);
            }

            await AppendLogOnceAsync(ledgerKey.Value, LogEntry.ForIssuance(issuance), cancellationToken).ConfigureAwait(false);
            await _store.PutWithdrawalAsync(request, response, cancellationToken).ConfigureAwait(false);
            ProtocolTelemetry.Withdrawn(signers.Length);
            return new WithdrawalResult(WithdrawalStatus.Issued, response);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Looks up the blind signatures issued for blinded messages (flow 7, restore). Unknown messages give null.
    /// </summary>
    /// <param name="blindedMessages">The re-derived blinded messages.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One entry per message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="blindedMessages"/> is null.</exception>
    public async Task<IReadOnlyList<BlindSignature?>> FindBlindSignaturesAsync(IReadOnlyList<BlindedMessage> blindedMessages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blindedMessages);
        var found = new BlindSignature?[blindedMessages.Count];
        for (int i = 0; i < found.Length; i++)
        {
            found[i] = await _store.FindBlindSignatureAsync(blindedMessages[i], cancellationToken).ConfigureAwait(false);
        }

        return found;
    }

    /// <summary>Reports which coins are already spent (flow 7, restore).</summary>
    /// <param name="coins">The coin ids.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One flag per coin.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="coins"/> is null.</exception>
    public async Task<IReadOnlyList<bool>> AreSpentAsync(IReadOnlyList<CoinId> coins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(coins);
        var spent = new bool[coins.Count];
        for (int i = 0; i < spent.Length; i++)
        {
            spent[i] = await _ledger.FindSpentAsync(coins[i], cancellationToken).ConfigureAwait(false) is not null;
        }

        return spent;
    }

    /// <summary>
    /// Accepts a deposit batch (flow 4): every coin is checked (keyset, windows, accreditation of the provider at the
    /// payment time, fund, payment request signature, issuer and spend signatures, sums per payment); then first
    /// deposit wins. Any failure moves nothing; a coin spent before with another payment yields a verifiable
    /// <see cref="DoubleSpendProof"/>. On success the provider is credited once, the coins are logged (without the
    /// provider) and a signed receipt with an inclusion proof is returned. A retry with the same key replays it.
    /// </summary>
    /// <param name="request">The batch.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public async Task<DepositResult> DepositAsync(DepositRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = ProtocolTelemetry.StartDeposit();
        byte[] hash = request.Hash();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = await _store.GetDepositAsync(request.Provider, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            if (previous is not null)
            {
                return previous.RequestHash.Span.SequenceEqual(hash)
                    ? Result(DepositStatus.Accepted, previous.Receipt)
                    : Result(DepositStatus.IdempotencyKeyReused);
            }

            var now = _time.GetUtcNow();
            var registries = await _store.ListRegistriesAsync(cancellationToken).ConfigureAwait(false);
            var rejections = new List<DepositRejection>();
            var spent = new List<SpentCoin>(request.Spends.Length);
            var seen = new HashSet<CoinId>();
            var perRequest = new Dictionary<string, (Amount Due, Amount Paid)>(StringComparer.Ordinal);
            for (int i = 0; i < request.Spends.Length; i++)
            {
                var spend = request.Spends[i];
                var stored = await _store.GetKeysetAsync(spend.Coin.Keyset, cancellationToken).ConfigureAwait(false);
                var reason = Check(request.Provider, spend, stored, registries, now, seen, _signers.GetValueOrDefault(spend.Coin.Keyset));
                if (reason is { } r)
                {
                    rejections.Add(new DepositRejection(i, r));
                    continue;
                }

                var denomination = stored!.Announcement.Descriptor.Denomination;
                spent.Add(new SpentCoin(spend.Coin.Id, spend.Coin.Keyset, denomination));
                string key = Convert.ToHexString(spend.Request.Hash());
                var sums = perRequest.TryGetValue(key, out var s) ? s : (spend.Request.Amount, Amount.Zero);
                perRequest[key] = (sums.Item1, sums.Item2 + denomination);
            }

            if (rejections.Count == 0)
            {
                for (int i = 0; i < request.Spends.Length; i++)
                {
                    var (due, paid) = perRequest[Convert.ToHexString(request.Spends[i].Request.Hash())];
                    if (due != paid)
                    {
                        rejections.Add(new DepositRejection(i, DepositRejectionReason.AmountMismatch));
                    }
                }
            }

            if (rejections.Count > 0)
            {
                return new DepositResult(DepositStatus.Rejected, null, rejections, []);
            }

            // A swapped coin has no payment to prove a double spend against; left to the ledger, a batch mixing it with
            // fresh coins would be credited in part while the receipt counted every coin.
            for (int i = 0; i < request.Spends.Length; i++)
            {
                if (await _store.GetSwapSpendAsync(request.Spends[i].Coin.Id, cancellationToken).ConfigureAwait(false) is not null)
                {
                    rejections.Add(new DepositRejection(i, DepositRejectionReason.AlreadySwapped));
                }
            }

            if (rejections.Count > 0)
            {
                return new DepositResult(DepositStatus.Rejected, null, rejections, []);
            }

            var proofs = new List<DoubleSpendProof>();
            bool identicalSeen = false;
            foreach (var spend in request.Spends)
            {
                var first = await _store.GetSpendAsync(spend.Coin.Id, cancellationToken).ConfigureAwait(false);
                if (first is null)
                {
                    continue;
                }

                if (first.Encode().AsSpan().SequenceEqual(spend.Encode()))
                {
                    identicalSeen = true;
                }
                else
                {
                    proofs.Add(new DoubleSpendProof(first, spend));
                }
            }

            if (proofs.Count > 0)
            {
                ProtocolTelemetry.DoubleSpent(proofs.Count);
                return new DepositResult(DepositStatus.DoubleSpend, null, [], proofs);
            }

            var ledgerKey = LedgerKey("d", request.Provider.Value, request.IdempotencyKey);
            var credit = await _ledger.DepositAsync(ledgerKey, request.Provider, spent, cancellationToken).ConfigureAwait(false);
            switch (credit.Status)
            {
                case LedgerStatus.Applied:
                    break;
                case LedgerStatus.DoubleSpend:
                    return Result(DepositStatus.AlreadyDeposited);
                case LedgerStatus.KeysetExpired:
                    return new DepositResult(DepositStatus.Rejected, null, [.. request.Spends.Select((_, i) => new DepositRejection(i, DepositRejectionReason.OutsideDepositWindow))], []);
                default:
                    return Result(identicalSeen ? DepositStatus.AlreadyDeposited : DepositStatus.IdempotencyKeyReused);
            }

            // Credited exactly once (fresh or replayed after a crash); record first spends, log the batch, sign.
            await _store.PutSpendsAsync(request.Spends, cancellationToken).ConfigureAwait(false);
            var (index, entry) = await AppendLogOnceAsync(ledgerKey.Value, LogEntry.ForSpentCoins(new SpentCoinsRecord(now, [.. request.Spends.Select(s => s.Coin)])), cancellationToken).ConfigureAwait(false);
            var head = await _log.SignTreeHeadAsync(_schemeKey, _time, cancellationToken).ConfigureAwait(false);
            var proof = await _log.GetInclusionProofAsync(index, head.TreeSize, cancellationToken).ConfigureAwait(false);
            var total = Amount.Sum(spent.Select(c => c.Value));
            var receipt = DepositReceipt.Sign(request, total, entry.LeafHash(), head, proof, now, _schemeKey);
            await _store.PutDepositAsync(new StoredDeposit(hash, receipt), cancellationToken).ConfigureAwait(false);
            ProtocolTelemetry.Deposited(request.Spends.Length);
            return Result(DepositStatus.Accepted, receipt);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Signs the current tree head of the transparency log.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The signed tree head.</returns>
    public async Task<SignedTreeHead> GetTreeHeadAsync(CancellationToken cancellationToken = default) =>
        await _log.SignTreeHeadAsync(_schemeKey, _time, cancellationToken).ConfigureAwait(false);

    /// <summary>An inclusion proof for a log entry.</summary>
    /// <param name="index">The entry index.</param>
    /// <param name="treeSize">The tree size to prove against.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index or size is outside the log.</exception>
    public async Task<InclusionProof> GetInclusionProofAsync(ulong index, ulong treeSize, CancellationToken cancellationToken = default) =>
        await _log.GetInclusionProofAsync(index, treeSize, cancellationToken).ConfigureAwait(false);

    /// <summary>A consistency proof between two tree sizes.</summary>
    /// <param name="oldSize">The older size.</param>
    /// <param name="newSize">The newer size.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside the log.</exception>
    public async Task<ConsistencyProof> GetConsistencyProofAsync(ulong oldSize, ulong newSize, CancellationToken cancellationToken = default) =>
        await _log.GetConsistencyProofAsync(oldSize, newSize, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a log entry.</summary>
    /// <param name="index">The entry index.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry, or null past the end.</returns>
    public async Task<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken = default) =>
        await _store.GetLogEntryAsync(index, cancellationToken).ConfigureAwait(false);

    private static DepositRejectionReason? Check(AccountId depositor, CoinSpend spend, StoredKeyset? stored, IReadOnlyList<AccreditationRegistry> registries, DateTimeOffset now, HashSet<CoinId> seen, KeysetSigner? signer)
    {
        if (!seen.Add(spend.Coin.Id))
        {
            return DepositRejectionReason.DuplicateInBatch;
        }

        if (stored is null || stored.Revoked)
        {
            return DepositRejectionReason.UnknownKeyset;
        }

        var descriptor = stored.Announcement.Descriptor;
        var paidAt = spend.Request.IssuedAt;
        if (spend.Request.Provider != depositor)
        {
            return DepositRejectionReason.WrongProvider;
        }

        // The registry in force at the payment time decides, so a later de-accreditation does not void honest payments.
        var registry = registries.LastOrDefault(r => r.IssuedAt <= paidAt);
        var record = registry?.Find(depositor);
        if (record is null || !record.IsValidAt(paidAt) || paidAt > now)
        {
            return DepositRejectionReason.ProviderNotAccredited;
        }

        if (!spend.Request.Verify(record.ReceiptKey))
        {
            return DepositRejectionReason.BadPaymentRequest;
        }

        if (!record.Accepts(descriptor.Fund))
        {
            return DepositRejectionReason.FundNotAllowed;
        }

        if (!descriptor.IsSpendable(paidAt))
        {
            return DepositRejectionReason.OutsideSpendWindow;
        }

        if (!descriptor.IsDepositable(now))
        {
            return DepositRejectionReason.OutsideDepositWindow;
        }

        bool issued = signer is not null ? spend.Coin.VerifyIssuerWith(descriptor, signer.Verifier) : spend.Coin.VerifyIssuer(descriptor);
        if (!issued)
        {
            return DepositRejectionReason.BadIssuerSignature;
        }

        return spend.VerifySpendSignature() ? null : DepositRejectionReason.BadSpendSignature;
    }

    private static DepositResult Result(DepositStatus status, DepositReceipt? receipt = null) => new(status, receipt, [], []);

    // Scheme idempotency keys are scoped per account; the ledger's key space is global, so hash the pair into it.
    private static IdempotencyKey LedgerKey(string kind, string scope, IdempotencyKey key)
    {
        byte[] digest = SHA256.HashData(System.Text.Encoding.ASCII.GetBytes($"{scope}\n{key.Value}"));
        return new IdempotencyKey($"{kind}-{Convert.ToHexStringLower(digest)}");
    }

    // Exactly-once logging across crashes (docs/PROTOCOL.md 5.6). Callers hold _gate. The entry's bytes are stored
    // with the operation's key before the leaf is appended; a retry of the operation finds the index: below the tree
    // size it was appended (return what was logged then), at the tree size the leaf never made it (store and append
    // again). An index whose bytes a later append overwrote no longer maps to the operation, so it is logged afresh.
    private async Task<(ulong Index, LogEntry Entry)> AppendLogOnceAsync(string operation, LogEntry entry, CancellationToken cancellationToken)
    {
        ulong size = await _log.GetSizeAsync(cancellationToken).ConfigureAwait(false);
        if (await _store.FindLogIndexAsync(operation, cancellationToken).ConfigureAwait(false) is ulong found && found < size
            && await _store.GetLogEntryAsync(found, cancellationToken).ConfigureAwait(false) is LogEntry logged)
        {
            return (found, logged);
        }

        await _store.PutLogEntryAsync(size, entry, operation, cancellationToken).ConfigureAwait(false);
        ulong appended = await _log.AppendAsync(entry.Encode(), cancellationToken).ConfigureAwait(false);
        return (appended, entry);
    }
}
