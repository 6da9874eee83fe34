namespace Wallet.Protocol.Schemes;

/// <summary>An <see cref="ISchemeStore"/> in process memory, for tests and single-process demos. Thread-safe.</summary>
/// <remarks>Values are kept encoded, as a durable store would, so a test sees the same decode path.</remarks>
public sealed partial class InMemorySchemeStore : ISchemeStore
{
    private readonly Lock _lock = new();
    private readonly List<KeysetId> _keysetOrder = [];
    private readonly Dictionary<KeysetId, (byte[] Announcement, ulong Index, bool Revoked)> _keysets = [];
    private readonly Dictionary<AccountId, byte[]> _accounts = [];
    private readonly Dictionary<(AccountId, IdempotencyKey), (byte[] Hash, byte[] Response)> _withdrawals = [];
    private readonly Dictionary<string, byte[]> _blindSignatures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AccountId> _withdrawers = new(StringComparer.Ordinal);
    private readonly Dictionary<IdempotencyKey, (byte[] Hash, byte[] Response)> _swaps = [];
    private readonly Dictionary<CoinId, byte[]> _swapSpends = [];
    private readonly Dictionary<CoinId, byte[]> _spends = [];
    private readonly Dictionary<(AccountId, IdempotencyKey), (byte[] Hash, byte[] Receipt, byte[] Payments)> _deposits = [];
    private readonly Dictionary<ulong, (byte[] Entry, string Operation)> _log = [];
    private readonly Dictionary<string, ulong> _logOperations = new(StringComparer.Ordinal);
    private readonly SortedDictionary<uint, byte[]> _registries = [];

    /// <inheritdoc/>
    public ValueTask PutKeysetAsync(StoredKeyset keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var id = keyset.Announcement.Descriptor.Id;
            if (_keysets.TryAdd(id, (keyset.Announcement.Encode(), keyset.LogIndex, keyset.Revoked)))
            {
                _keysetOrder.Add(id);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> RevokeKeysetAsync(KeysetId keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_keysets.TryGetValue(keyset, out var stored))
            {
                return ValueTask.FromResult(false);
            }

            _keysets[keyset] = stored with { Revoked = true };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<StoredKeyset?> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_keysets.TryGetValue(keyset, out var s) ? ToKeyset(s) : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredKeyset>> ListKeysetsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<StoredKeyset>>([.. _keysetOrder.Select(id => ToKeyset(_keysets[id]))]);
        }
    }

    /// <inheritdoc/>
    public ValueTask PutAccountKeyAsync(AccountId account, Ed25519PublicKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _accounts[account] = key.Export();
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<Ed25519PublicKey?> GetAccountKeyAsync(AccountId account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_accounts.TryGetValue(account, out byte[]? key) ? Ed25519PublicKey.Import(key) : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> HasAccountAsync(AccountId account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_accounts.ContainsKey(account));
        }
    }

    /// <inheritdoc/>
    public ValueTask PutWithdrawalAsync(WithdrawalRequest request, WithdrawalResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_withdrawals.TryAdd((request.Account, request.IdempotencyKey), (request.Hash(), response.Encode())))
            {
                for (int i = 0; i < request.Items.Length; i++)
                {
                    string blinded = Convert.ToHexString(request.Items[i].BlindedMessage.AsSpan());
                    _blindSignatures.TryAdd(blinded, response.BlindSignatures[i].ToArray());
                    _withdrawers.TryAdd(blinded, request.Account);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<StoredWithdrawal?> GetWithdrawalAsync(AccountId account, IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_withdrawals.TryGetValue((account, key), out var w)
                ? new StoredWithdrawal(w.Hash, WithdrawalResponse.Decode(w.Response))
                : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<BlindSignature?> FindBlindSignatureAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blindedMessage);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_blindSignatures.TryGetValue(Convert.ToHexString(blindedMessage.AsSpan()), out byte[]? s) ? BlindSignature.FromBytes(s) : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask PutSpendsAsync(IReadOnlyList<CoinSpend> spends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spends);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            foreach (var spend in spends)
            {
                _spends.TryAdd(spend.Coin.Id, spend.Encode());
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<CoinSpend?> GetSpendAsync(CoinId coin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coin);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_spends.TryGetValue(coin, out byte[]? s) ? CoinSpend.Decode(s) : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask PutDepositAsync(StoredDeposit deposit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _deposits.TryAdd((deposit.Receipt.Provider, deposit.Receipt.IdempotencyKey), (deposit.RequestHash.ToArray(), deposit.Receipt.Encode(), Binding.PbEnvelopes.EncodeDepositPayments(deposit.Payments)));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<StoredDeposit?> GetDepositAsync(AccountId provider, IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_deposits.TryGetValue((provider, key), out var d)
                ? new StoredDeposit(d.Hash, Deposits.DepositReceipt.Decode(d.Receipt)) { Payments = Binding.PbEnvelopes.DecodeDepositPayments(d.Payments) }
                : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask PutLogEntryAsync(ulong index, LogEntry entry, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(operation);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_log.TryGetValue(index, out var replaced))
            {
                _logOperations.Remove(replaced.Operation);
            }

            if (_logOperations.TryGetValue(operation, out ulong previous))
            {
                _log.Remove(previous);
            }

            _log[index] = (entry.Encode(), operation);
            _logOperations[operation] = index;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<ulong?> FindLogIndexAsync(string operation, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<ulong?>(_logOperations.TryGetValue(operation, out ulong index) ? index : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_log.TryGetValue(index, out var e) ? LogEntry.Decode(e.Entry) : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask PutRegistryAsync(AccreditationRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _registries.TryAdd(registry.Version, registry.Encode());
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<AccreditationRegistry>>([.. _registries.Values.Select(r => AccreditationRegistry.Decode(r))]);
        }
    }

    private static StoredKeyset ToKeyset((byte[] Announcement, ulong Index, bool Revoked) s) =>
        new(Keysets.KeysetAnnouncement.Decode(s.Announcement), s.Index, s.Revoked);

    /// <inheritdoc/>
    public ValueTask<AccountId?> FindWithdrawingAccountAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blindedMessage);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_withdrawers.GetValueOrDefault(Convert.ToHexString(blindedMessage.AsSpan())));
        }
    }

    /// <inheritdoc/>
    public ValueTask PutSwapAsync(IdempotencyKey key, StoredSwap swap, IReadOnlyList<BlindedMessage> outputs, IReadOnlyList<SwapSpend> spends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(swap);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(spends);
        if (outputs.Count != swap.Response.BlindSignatures.Length)
        {
            throw new ArgumentException("One blinded message per blind signature.", nameof(outputs));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_swaps.TryAdd(key, (swap.RequestHash.ToArray(), swap.Response.Encode())))
            {
                for (int i = 0; i < outputs.Count; i++)
                {
                    _blindSignatures.TryAdd(Convert.ToHexString(outputs[i].AsSpan()), swap.Response.BlindSignatures[i].ToArray());
                }

                foreach (var spend in spends)
                {
                    _swapSpends.TryAdd(spend.Coin.Id, spend.Encode());
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<StoredSwap?> GetSwapAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_swaps.TryGetValue(key, out var s) ? new StoredSwap(s.Hash, SwapResponse.Decode(s.Response)) : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<SwapSpend?> GetSwapSpendAsync(CoinId coin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coin);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_swapSpends.TryGetValue(coin, out byte[]? s) ? SwapSpend.Decode(s) : null);
        }
    }
}
