using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Log;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Wallets;

/// <summary>
/// The worker's wallet role of PB/1: trusts keysets only when they are in the scheme's log (anti-tagging), derives
/// every coin from the seed (so the seed alone restores it), withdraws and verifies, pays providers found in the
/// signed registry with coins that sum exactly, and keeps and verifies receipts. Thread-safe.
/// </summary>
/// <remarks>
/// DESIGN.md section 3 flows 2, 3 and 7; docs/PROTOCOL.md "Wallet". Coin keys are re-derived from the seed when
/// needed and disposed at once; the wallet keeps only public coin data.
/// </remarks>
public sealed partial class WorkerWallet : IDisposable
{
    private readonly Lock _lock = new();
    private readonly WalletSeed _seed;
    private readonly Ed25519SigningKey _accountKey;
    private readonly Ed25519PublicKey _schemeKey;
    private readonly Ed25519PublicKey _accreditationKey;
    private readonly TimeProvider _time;
    private readonly Dictionary<KeysetId, TrustedKeyset> _keysets = [];
    private readonly Dictionary<IdempotencyKey, (KeysetId Keyset, ulong Counter)[]> _pending = [];
    private readonly Dictionary<CoinId, WalletCoin> _coins = [];
    private readonly HashSet<CoinId> _spent = [];
    private readonly List<WithdrawalReceipt> _withdrawalReceipts = [];
    private readonly List<SpendReceipt> _spendReceipts = [];
    private readonly List<SignedTreeHead> _forkEvidence = [];
    private SignedTreeHead? _treeHead;
    private bool _disposed;

    /// <summary>Creates a wallet. The seed and account key are not owned and must outlive the wallet.</summary>
    /// <param name="seed">The wallet seed.</param>
    /// <param name="account">The worker's scheme account.</param>
    /// <param name="accountKey">The worker's account key.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public WorkerWallet(WalletSeed seed, AccountId account, Ed25519SigningKey accountKey, Ed25519PublicKey schemeKey, Ed25519PublicKey accreditationKey, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentNullException.ThrowIfNull(accreditationKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _seed = seed;
        Account = account;
        _accountKey = accountKey;
        _schemeKey = schemeKey;
        _accreditationKey = accreditationKey;
        _time = timeProvider;
    }

    /// <summary>The worker's account.</summary>
    public AccountId Account { get; }

    /// <summary>The latest tree head the wallet accepted.</summary>
    public SignedTreeHead? TrustedTreeHead
    {
        get
        {
            lock (_lock)
            {
                return _treeHead;
            }
        }
    }

    /// <summary>Signed tree heads that contradicted the trusted one: evidence of a forked log.</summary>
    public IReadOnlyList<SignedTreeHead> ForkEvidence
    {
        get
        {
            lock (_lock)
            {
                return [.. _forkEvidence];
            }
        }
    }

    /// <summary>The keysets the wallet has verified in the log.</summary>
    public IReadOnlyList<KeysetDescriptor> Keysets
    {
        get
        {
            lock (_lock)
            {
                return [.. _keysets.Values.Select(k => k.Descriptor)];
            }
        }
    }

    /// <summary>The unspent coins.</summary>
    public IReadOnlyList<WalletCoin> Coins
    {
        get
        {
            lock (_lock)
            {
                return [.. _coins.Values.Where(c => !_spent.Contains(c.Coin.Id)).OrderBy(c => c.Coin.Id)];
            }
        }
    }

    /// <summary>The value of the unspent coins.</summary>
    public Amount Balance => Amount.Sum(Coins.Select(c => c.Value));

    /// <summary>The verified withdrawal receipts.</summary>
    public IReadOnlyList<WithdrawalReceipt> WithdrawalReceipts
    {
        get
        {
            lock (_lock)
            {
                return [.. _withdrawalReceipts];
            }
        }
    }

    /// <summary>The verified spend receipts.</summary>
    public IReadOnlyList<SpendReceipt> SpendReceipts
    {
        get
        {
            lock (_lock)
            {
                return [.. _spendReceipts];
            }
        }
    }

    /// <summary>
    /// Considers a new signed tree head: it must be signed by the scheme and, when larger than the trusted head,
    /// come with a consistency proof from it (RFC 9162 section 2.1.4). A head of the trusted size with another root
    /// is a fork.
    /// </summary>
    /// <param name="treeHead">The new head.</param>
    /// <param name="proof">A consistency proof from the trusted head to the new one (null for the first head).</param>
    /// <returns>The conclusion.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="treeHead"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public TreeHeadStatus ObserveTreeHead(SignedTreeHead treeHead, ConsistencyProof? proof)
    {
        ArgumentNullException.ThrowIfNull(treeHead);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!treeHead.Verify(_schemeKey))
        {
            return TreeHeadStatus.BadSignature;
        }

        lock (_lock)
        {
            var current = _treeHead;
            if (current is null || (treeHead.TreeSize == current.TreeSize && treeHead.RootHash == current.RootHash))
            {
                _treeHead = treeHead;
                return TreeHeadStatus.Accepted;
            }

            if (treeHead.TreeSize < current.TreeSize)
            {
                if (proof is not null && proof.Verify(treeHead, current))
                {
                    return TreeHeadStatus.Stale;
                }
            }
            else if (treeHead.TreeSize > current.TreeSize && proof is not null && proof.Verify(current, treeHead))
            {
                _treeHead = treeHead;
                return TreeHeadStatus.Accepted;
            }

            _forkEvidence.Add(current);
            _forkEvidence.Add(treeHead);
            return TreeHeadStatus.Fork;
        }
    }

    /// <summary>
    /// Trusts a keyset only if the scheme signed it and its announcement is in the log under the trusted tree head:
    /// a keyset handed to one worker alone (tagging) would have to be logged for everyone to see.
    /// </summary>
    /// <param name="announcement">The announcement.</param>
    /// <param name="proof">The inclusion proof of its log entry against <see cref="TrustedTreeHead"/>.</param>
    /// <returns>Whether the keyset is now trusted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public bool TrustKeyset(KeysetAnnouncement announcement, InclusionProof proof)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        ArgumentNullException.ThrowIfNull(proof);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var head = TrustedTreeHead;
        if (head is null || !announcement.Verify(_schemeKey) || !proof.Verify(LogEntry.ForKeyset(announcement).LeafHash(), head))
        {
            return false;
        }

        var descriptor = announcement.Descriptor;
        BlindRsaPublicKey key;
        try
        {
            key = descriptor.ImportPublicKey();
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }

        lock (_lock)
        {
            if (_keysets.ContainsKey(descriptor.Id))
            {
                key.Dispose();
                return true;
            }

            _keysets[descriptor.Id] = new TrustedKeyset(descriptor, key);
            return true;
        }
    }

    /// <summary>Builds a signed withdrawal request for one coin per listed keyset, allocating fresh seed counters.</summary>
    /// <param name="key">The idempotency key; resend the same request with it after a lost response.</param>
    /// <param name="keysets">The keyset of each coin (repeat a keyset for several coins).</param>
    /// <returns>The request to send to the scheme.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A keyset is not trusted, the list is empty or too long, or the key is pending.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public WithdrawalRequest PrepareWithdrawal(IdempotencyKey key, IReadOnlyList<KeysetId> keysets)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(keysets);
        if (keysets.Count is 0 or > WithdrawalRequest.MaxItems)
        {
            throw new ArgumentException("A withdrawal has 1 to 1024 coins.", nameof(keysets));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_lock)
        {
            if (_pending.ContainsKey(key))
            {
                throw new ArgumentException("A withdrawal with this key is pending.", nameof(key));
            }

            var slots = new (KeysetId, ulong)[keysets.Count];
            var items = new WithdrawalItem[keysets.Count];
            for (int i = 0; i < slots.Length; i++)
            {
                if (!_keysets.TryGetValue(keysets[i], out var trusted))
                {
                    throw new ArgumentException("The keyset is not trusted.", nameof(keysets));
                }

                ulong counter = trusted.NextCounter++;
                slots[i] = (keysets[i], counter);
                items[i] = new WithdrawalItem(keysets[i], Blind(trusted, counter, out _).BlindedMessage);
            }

            _pending[key] = slots;
            var request = WithdrawalRequest.Sign(Account, key, items, _time.GetUtcNow(), _accountKey);
            _pendingRequests[key] = request;
            return request;
        }
    }

    /// <summary>
    /// The uniform-withdrawal policy: the whole <paramref name="balance"/> in the canonical split (greedy over the
    /// trusted, currently withdrawable general-fund keysets, largest denomination first), so that withdrawals carry
    /// no signal about intent. A remainder below the smallest denomination stays in the account.
    /// </summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="balance">The account balance to withdraw.</param>
    /// <returns>The request, or null when the balance is below every denomination.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="ArgumentException">The key is pending or the split needs more than 1024 coins.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public WithdrawalRequest? PrepareUniformWithdrawal(IdempotencyKey key, Amount balance)
    {
        ArgumentNullException.ThrowIfNull(key);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var now = _time.GetUtcNow();
        var denominations = Keysets
            .Where(k => k.Fund == KeysetDescriptor.GeneralFund && k.IsWithdrawable(now))
            .GroupBy(k => k.Denomination)
            .Select(g => g.OrderBy(k => k.WithdrawUntil).Last())
            .OrderByDescending(k => k.Denomination)
            .ToList();
        var split = new List<KeysetId>();
        long left = balance.MinorUnits;
        foreach (var keyset in denominations)
        {
            for (; left >= keyset.Denomination.MinorUnits; left -= keyset.Denomination.MinorUnits)
            {
                split.Add(keyset.Id);
            }
        }

        return split.Count == 0 ? null : PrepareWithdrawal(key, split);
    }

    /// <summary>
    /// Unblinds and verifies every coin of a response (RFC 9474 section 4.4) and checks the signed receipt.
    /// Nothing is kept unless every check passes.
    /// </summary>
    /// <param name="request">The request that was sent.</param>
    /// <param name="response">The scheme's response.</param>
    /// <returns>The outcome.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public WithdrawalCompletion CompleteWithdrawal(WithdrawalRequest request, WithdrawalResponse response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_lock)
        {
            if (!_pending.TryGetValue(request.IdempotencyKey, out var slots) || slots.Length != request.Items.Length)
            {
                return WithdrawalCompletion.UnknownRequest;
            }

            if (!response.Receipt.Verify(request, _schemeKey) || response.BlindSignatures.Length != slots.Length)
            {
                return WithdrawalCompletion.BadReceipt;
            }

            var coins = new List<WalletCoin>(slots.Length);
            for (int i = 0; i < slots.Length; i++)
            {
                var coin = Unblind(_keysets[slots[i].Keyset], slots[i].Counter, response.BlindSignatures[i]);
                if (coin is null)
                {
                    return WithdrawalCompletion.BadSignature;
                }

                coins.Add(coin);
            }

            foreach (var coin in coins)
            {
                _coins[coin.Coin.Id] = coin;
            }

            _withdrawalReceipts.Add(response.Receipt);
            _pending.Remove(request.IdempotencyKey);
            _pendingRequests.Remove(request.IdempotencyKey);
            return WithdrawalCompletion.Completed;
        }
    }

    /// <summary>Re-derives the blinded messages of counters [<paramref name="firstCounter"/>, +<paramref name="count"/>) of a keyset, to ask the scheme for their stored signatures (restore).</summary>
    /// <param name="keyset">A trusted keyset.</param>
    /// <param name="firstCounter">The first counter.</param>
    /// <param name="count">How many, 1 to 1024.</param>
    /// <returns>The blinded messages, in counter order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    /// <exception cref="ArgumentException">The keyset is not trusted.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public IReadOnlyList<BlindedMessage> PrepareRestore(KeysetId keyset, ulong firstCounter, int count)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, WithdrawalRequest.MaxItems);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var trusted = Trusted(keyset);
        var messages = new BlindedMessage[count];
        for (int i = 0; i < count; i++)
        {
            using var state = Blind(trusted, firstCounter + (ulong)i, out _);
            messages[i] = state.BlindedMessage;
        }

        return messages;
    }

    /// <summary>Unblinds the signatures the scheme returned for <see cref="PrepareRestore"/>; verified coins are added and the counter moves past the last one found.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <param name="firstCounter">The first counter passed to <see cref="PrepareRestore"/>.</param>
    /// <param name="signatures">The scheme's answers, null where nothing was issued.</param>
    /// <returns>The number of coins recovered.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The keyset is not trusted.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public int CompleteRestore(KeysetId keyset, ulong firstCounter, IReadOnlyList<BlindSignature?> signatures)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ArgumentNullException.ThrowIfNull(signatures);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var trusted = Trusted(keyset);
        int recovered = 0;
        lock (_lock)
        {
            for (int i = 0; i < signatures.Count; i++)
            {
                if (signatures[i] is not { } signature)
                {
                    continue;
                }

                ulong counter = firstCounter + (ulong)i;
                if (Unblind(trusted, counter, signature) is { } coin && _coins.TryAdd(coin.Coin.Id, coin))
                {
                    recovered++;
                }

                trusted.NextCounter = Math.Max(trusted.NextCounter, counter + 1);
            }
        }

        return recovered;
    }

    /// <summary>Marks coins the scheme reported as spent (restore).</summary>
    /// <param name="coins">The coin ids asked about.</param>
    /// <param name="spent">The scheme's answer per coin.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lists differ in length.</exception>
    public void MarkSpent(IReadOnlyList<CoinId> coins, IReadOnlyList<bool> spent)
    {
        ArgumentNullException.ThrowIfNull(coins);
        ArgumentNullException.ThrowIfNull(spent);
        if (coins.Count != spent.Count)
        {
            throw new ArgumentException("One flag per coin.", nameof(spent));
        }

        lock (_lock)
        {
            for (int i = 0; i < coins.Count; i++)
            {
                if (spent[i])
                {
                    _spent.Add(coins[i]);
                }
            }
        }
    }

    /// <summary>
    /// Pays a provider's request: checks the registry signature, the provider's accreditation now, the request's
    /// signature by the registered receipt key and its expiry; picks unspent coins, not reserved by a pending swap, that
    /// the provider may redeem and that sum exactly to the amount; signs each coin's spend over the request. When the
    /// coins are worth enough but no subset is exact, the result says so (<see cref="PaymentPreparation.ChangeAvailable"/>):
    /// run <see cref="PrepareChange"/> and pay after the swap completes. The coins are then spent for the
    /// wallet (re-using one would be a provable double spend).
    /// </summary>
    /// <param name="request">The payment request.</param>
    /// <param name="registry">The current signed registry.</param>
    /// <returns>The spends to hand to the provider, or why not.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public PaymentPreparation PreparePayment(PaymentRequest request, AccreditationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registry);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return PreparePaymentFrom(request, registry, only: null);
    }

    private PaymentPreparation PreparePaymentFrom(PaymentRequest request, AccreditationRegistry registry, IReadOnlySet<CoinId>? only)
    {
        var now = _time.GetUtcNow();
        if (!registry.Verify(_accreditationKey))
        {
            return Refuse(PaymentPreparationStatus.InvalidRegistry);
        }

        var record = registry.Find(request.Provider);
        if (record is null || !record.IsValidAt(now))
        {
            return Refuse(PaymentPreparationStatus.ProviderNotAccredited);
        }

        if (!request.Verify(record.ReceiptKey))
        {
            return Refuse(PaymentPreparationStatus.BadRequestSignature);
        }

        if (now > request.ExpiresAt)
        {
            return Refuse(PaymentPreparationStatus.Expired);
        }

        lock (_lock)
        {
            var reserved = ReservedSet();
            var candidates = _coins.Values
                .Where(c => !_spent.Contains(c.Coin.Id) && !reserved.Contains(c.Coin.Id) && (only is null || only.Contains(c.Coin.Id)))
                .Where(c => _keysets[c.Coin.Keyset].Descriptor is var d && d.IsSpendable(request.IssuedAt) && d.IsSpendable(now) && record.Accepts(d.Fund))
                .OrderByDescending(c => c.Value)
                .ThenBy(c => c.Coin.Id)
                .ToList();
            var chosen = CoinSelection.Exact(candidates, request.Amount);
            if (chosen is null)
            {
                // Enough value in acceptable coins, just not an exact subset: a swap (PrepareChange) makes change.
                return new PaymentPreparation(PaymentPreparationStatus.NoExactCoins, [], Amount.Sum(candidates.Select(c => c.Value)) >= request.Amount);
            }

            var spends = new List<CoinSpend>(chosen.Count);
            foreach (var coin in chosen)
            {
                using var secrets = _seed.DeriveCoin(coin.Coin.Keyset.Bytes, coin.Counter);
                spends.Add(CoinSpend.Sign(coin.Coin, request, secrets.SigningKey));
                _spent.Add(coin.Coin.Id);
            }

            return new PaymentPreparation(PaymentPreparationStatus.Ready, spends);
        }
    }

    /// <summary>Keeps a provider's spend receipt if it verifies for the paid request with the provider's registered key.</summary>
    /// <param name="receipt">The receipt.</param>
    /// <param name="request">The paid request.</param>
    /// <param name="registry">The signed registry.</param>
    /// <returns>Whether the receipt verified and was kept.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool AcceptSpendReceipt(SpendReceipt receipt, PaymentRequest request, AccreditationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(registry);
        if (!registry.Verify(_accreditationKey) || registry.Find(request.Provider) is not { } record || !receipt.Verify(request, record.ReceiptKey))
        {
            return false;
        }

        lock (_lock)
        {
            _spendReceipts.Add(receipt);
        }

        return true;
    }

    /// <summary>Releases the keyset public keys.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            foreach (var k in _keysets.Values)
            {
                k.Dispose();
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"WorkerWallet({Account})";

    private static PaymentPreparation Refuse(PaymentPreparationStatus status) => new(status, []);

    private TrustedKeyset Trusted(KeysetId keyset)
    {
        lock (_lock)
        {
            return _keysets.TryGetValue(keyset, out var trusted) ? trusted : throw new ArgumentException("The keyset is not trusted.", nameof(keyset));
        }
    }

    private BlindingState Blind(TrustedKeyset keyset, ulong counter, out CoinId coinId)
    {
        using var secrets = _seed.DeriveCoin(keyset.Descriptor.Id.Bytes, counter);
        coinId = new CoinId(secrets.SigningKey.PublicKey.AsSpan());
        return keyset.Client.PrepareAndBlind(Coin.BuildMessage(keyset.Descriptor.Id, coinId), secrets, keyset.Metadata);
    }

    private WalletCoin? Unblind(TrustedKeyset keyset, ulong counter, BlindSignature signature)
    {
        using var state = Blind(keyset, counter, out var coinId);
        try
        {
            byte[] final = keyset.Client.Finalize(state, signature);
            return new WalletCoin(new Coin(keyset.Descriptor.Id, coinId, final), counter, keyset.Descriptor.Denomination);
        }
        catch (BlindRsaException)
        {
            return null;
        }
    }
}
