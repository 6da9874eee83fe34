using System.Security.Cryptography;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.SealedFiles;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Recovery;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Wire;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Wallets;

/// <summary>
/// The sealed wallet file: the wallet's whole state as one canonical, versioned encoding (docs/PROTOCOL.md section 8.1)
/// inside a <see cref="SealedFile"/> (Argon2id + XChaCha20-Poly1305 under a passphrase), replaced atomically.
/// </summary>
public sealed partial class WorkerWallet
{
    /// <summary>The wallet state encoding version written; version 1 (no pending swaps or recoveries) still loads.</summary>
    public const byte StateVersion = 2;

    // Version 1 predates pending swaps and recoveries in the file; it is read, never written.
    private const byte FirstStateVersion = 1;

    // Bounds that keep a decoder's allocations proportional to the (already size-limited) file.
    private const int MaxStateItems = 1 << 24;

    private readonly Dictionary<IdempotencyKey, WithdrawalRequest> _pendingRequests = [];

    /// <summary>
    /// Withdrawal requests prepared but not completed. After a crash or a lost response, send the same request again:
    /// the scheme replays its stored response and <see cref="CompleteWithdrawal"/> finishes it.
    /// </summary>
    public IReadOnlyList<WithdrawalRequest> PendingWithdrawals
    {
        get
        {
            lock (_lock)
            {
                return [.. _pendingRequests.Values.OrderBy(r => r.IdempotencyKey.Value, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>
    /// Swaps prepared but not completed or abandoned; their input coins stay reserved. After a crash or a lost response,
    /// send the same request again: the scheme replays its stored response and <see cref="CompleteSwap"/> finishes it.
    /// </summary>
    public IReadOnlyList<SwapRequest> PendingSwaps
    {
        get
        {
            lock (_lock)
            {
                return [.. _pendingSwaps.Values.Select(p => p.Request).OfType<SwapRequest>().OrderBy(r => r.IdempotencyKey.Value, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>
    /// Recoveries prepared but not completed or abandoned; their input coins stay reserved. After a crash or a lost
    /// response, send the same request again and finish it with <see cref="CompleteRecovery"/>.
    /// </summary>
    public IReadOnlyList<RecoveryRequest> PendingRecoveries
    {
        get
        {
            lock (_lock)
            {
                return [.. _pendingSwaps.Values.Select(p => p.Request).OfType<RecoveryRequest>().OrderBy(r => r.IdempotencyKey.Value, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>
    /// Saves the wallet to <paramref name="path"/>, sealed under <paramref name="passphrase"/>: the new file is written
    /// beside the old one, flushed, then renamed over it, so a crash leaves the previous file or the new one, never a mix.
    /// </summary>
    /// <param name="path">The wallet file.</param>
    /// <param name="passphrase">The passphrase; not empty.</param>
    /// <param name="parameters">The Argon2id cost; <see cref="SealedFileParameters.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the save; the previous file is then left untouched.</param>
    /// <returns>A task that completes once the new file is durable.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="passphrase"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> or <paramref name="passphrase"/> is empty.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    /// <exception cref="IOException">The file system refused the write or the rename.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task SaveAsync(string path, string passphrase, SealedFileParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        ObjectDisposedException.ThrowIf(_disposed, this);
        byte[] state = ExportState();
        return SaveSealedAsync(path, state, passphrase, parameters, cancellationToken);
    }

    /// <summary>
    /// Loads a wallet saved by <see cref="SaveAsync"/>. The seed and keys are not owned and must outlive the wallet;
    /// they must be the ones the file was saved with (every coin is re-derived from the seed and compared).
    /// </summary>
    /// <param name="path">The wallet file.</param>
    /// <param name="passphrase">The passphrase.</param>
    /// <param name="seed">The wallet seed.</param>
    /// <param name="accountKey">The worker's account key.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The wallet, behaving exactly as the one saved.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="WalletFileException">The file is not a wallet file, was altered or truncated, the passphrase is wrong, or the seed or keys do not match it.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<WorkerWallet> LoadAsync(
        string path,
        string passphrase,
        WalletSeed seed,
        Ed25519SigningKey accountKey,
        Ed25519PublicKey schemeKey,
        Ed25519PublicKey accreditationKey,
        TimeProvider timeProvider,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(passphrase);
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentNullException.ThrowIfNull(accreditationKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        byte[] state;
        try
        {
            state = await SealedFile.ReadAsync(path, passphrase, cancellationToken).ConfigureAwait(false);
        }
        catch (SealedFileException ex)
        {
            var error = ex.Error == SealedFileError.AuthenticationFailed ? WalletFileError.AuthenticationFailed : WalletFileError.NotAWalletFile;
            throw new WalletFileException(error, "The wallet file could not be opened.", ex);
        }

        try
        {
            return ImportState(state, seed, accountKey, schemeKey, accreditationKey, timeProvider);
        }
        finally
        {
            // The plaintext state names coins and counters: not a secret key, but not left lying in memory either.
            CryptographicOperations.ZeroMemory(state);
        }
    }

    /// <summary>The canonical state encoding (the plaintext of the wallet file).</summary>
    internal byte[] ExportState()
    {
        lock (_lock)
        {
            return ProtocolCodec.Encode(w =>
            {
                w.U8(StateVersion);
                w.Ascii(Account.Value);
                w.Fixed(_accountKey.PublicKey.AsSpan());
                w.Fixed(_schemeKey.AsSpan());
                w.U8(_treeHead is null ? (byte)0 : (byte)1);
                if (_treeHead is not null)
                {
                    w.Fixed(_treeHead.Encode());
                }

                w.U16(_forkEvidence.Count);
                foreach (var head in _forkEvidence)
                {
                    w.Fixed(head.Encode());
                }

                var keysets = _keysets.Values.OrderBy(k => k.Descriptor.Id).ToList();
                w.U32((uint)keysets.Count);
                foreach (var keyset in keysets)
                {
                    w.Opaque16(keyset.Descriptor.Encode());
                    w.U64(keyset.NextCounter);
                }

                var coins = _coins.Values.OrderBy(c => c.Coin.Id).ToList();
                w.U32((uint)coins.Count);
                foreach (var coin in coins)
                {
                    coin.Coin.Write(w);
                    w.U64(coin.Counter);
                }

                var spent = _spent.Order().ToList();
                w.U32((uint)spent.Count);
                foreach (var id in spent)
                {
                    w.Fixed(id.Bytes);
                }

                var pending = _pendingRequests.Values.OrderBy(r => r.IdempotencyKey.Value, StringComparer.Ordinal).ToList();
                w.U32((uint)pending.Count);
                foreach (var request in pending)
                {
                    w.Opaque32(request.Encode());
                    foreach (var (_, counter) in _pending[request.IdempotencyKey])
                    {
                        w.U64(counter);
                    }
                }

                w.U32((uint)_withdrawalReceipts.Count);
                foreach (var receipt in _withdrawalReceipts)
                {
                    w.Opaque16(receipt.Encode());
                }

                w.U32((uint)_spendReceipts.Count);
                foreach (var receipt in _spendReceipts)
                {
                    w.Opaque16(receipt.Encode());
                }

                // Version 2 appends what version 1 kept only in memory.
                WritePendingSwaps<SwapRequest>(w, r => r.IdempotencyKey, r => r.Encode());
                WritePendingSwaps<RecoveryRequest>(w, r => r.IdempotencyKey, r => r.Encode());
            });
        }
    }

    /// <summary>Rebuilds a wallet from <see cref="ExportState"/> bytes.</summary>
    internal static WorkerWallet ImportState(ReadOnlySpan<byte> state, WalletSeed seed, Ed25519SigningKey accountKey, Ed25519PublicKey schemeKey, Ed25519PublicKey accreditationKey, TimeProvider timeProvider)
    {
        if (state.Length > 0 && state[0] is not (FirstStateVersion or StateVersion))
        {
            throw new WalletFileException(WalletFileError.UnsupportedVersion, "The wallet state version is not supported.");
        }

        WalletStateImage image;
        try
        {
            image = ProtocolCodec.Decode(state, ReadState, "wallet state");
        }
        catch (ProtocolFormatException ex)
        {
            throw new WalletFileException(WalletFileError.Malformed, "The wallet state is malformed.", ex);
        }

        if (!image.AccountKey.AsSpan().SequenceEqual(accountKey.PublicKey.AsSpan()) || !image.SchemeKey.AsSpan().SequenceEqual(schemeKey.AsSpan()))
        {
            throw new WalletFileException(WalletFileError.KeyMismatch, "The wallet file belongs to another account key or scheme.");
        }

        var wallet = new WorkerWallet(seed, image.Account, accountKey, schemeKey, accreditationKey, timeProvider);
        try
        {
            wallet.Restore(image);
            return wallet;
        }
        catch
        {
            wallet.Dispose();
            throw;
        }
    }

    private void WritePendingSwaps<T>(ProtocolWriter w, Func<T, IdempotencyKey> key, Func<T, byte[]> encode)
        where T : class
    {
        var pending = _pendingSwaps.Values.Where(p => p.Request is T).OrderBy(p => key((T)p.Request).Value, StringComparer.Ordinal).ToList();
        w.U32((uint)pending.Count);
        foreach (var swap in pending)
        {
            w.Opaque32(encode((T)swap.Request));
            foreach (var (_, counter) in swap.Outputs)
            {
                w.U64(counter);
            }
        }
    }

    private static async Task SaveSealedAsync(string path, byte[] state, string passphrase, SealedFileParameters? parameters, CancellationToken cancellationToken)
    {
        try
        {
            await SealedFile.WriteAsync(path, state, passphrase, parameters, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(state);
        }
    }

    private static WalletStateImage ReadState(ref ProtocolReader r)
    {
        byte version = r.U8("wallet state.version");
        if (version is not (FirstStateVersion or StateVersion))
        {
            throw new ProtocolFormatException($"Unknown wallet state version {version}.");
        }

        var image = new WalletStateImage
        {
            Account = r.Account("account_id"),
            AccountKey = r.Fixed(Ed25519PublicKey.Length, "account_key").ToArray(),
            SchemeKey = r.Fixed(Ed25519PublicKey.Length, "scheme_key").ToArray(),
        };
        byte hasHead = r.U8("has_tree_head");
        if (hasHead > 1)
        {
            throw new ProtocolFormatException("Field 'has_tree_head' is not 0 or 1.");
        }

        if (hasHead == 1)
        {
            image.TreeHead = Head(ref r);
        }

        int forks = r.U16("fork_evidence");
        for (int i = 0; i < forks; i++)
        {
            image.ForkEvidence.Add(Head(ref r));
        }

        int keysets = Count32(ref r, "keysets");
        for (int i = 0; i < keysets; i++)
        {
            var descriptor = KeysetDescriptor.Decode(r.Opaque16("descriptor", 1));
            if (i > 0 && image.Keysets[^1].Descriptor.Id.CompareTo(descriptor.Id) >= 0)
            {
                throw new ProtocolFormatException("Keysets are not strictly ascending.");
            }

            image.Keysets.Add((descriptor, r.U64("next_counter")));
        }

        int coins = Count32(ref r, "coins");
        for (int i = 0; i < coins; i++)
        {
            var coin = Coin.Read(ref r);
            if (i > 0 && image.Coins[^1].Coin.Id.CompareTo(coin.Id) >= 0)
            {
                throw new ProtocolFormatException("Coins are not strictly ascending.");
            }

            image.Coins.Add((coin, r.U64("counter")));
        }

        int spent = Count32(ref r, "spent");
        for (int i = 0; i < spent; i++)
        {
            var id = r.Coin("coin_id");
            if (i > 0 && image.Spent[^1].CompareTo(id) >= 0)
            {
                throw new ProtocolFormatException("Spent coins are not strictly ascending.");
            }

            image.Spent.Add(id);
        }

        int pending = Count32(ref r, "pending");
        for (int i = 0; i < pending; i++)
        {
            var request = WithdrawalRequest.Decode(r.Opaque32("request", 1, SealedFile.MaxPlaintextLength));
            if (i > 0 && string.CompareOrdinal(image.Pending[^1].Request.IdempotencyKey.Value, request.IdempotencyKey.Value) >= 0)
            {
                throw new ProtocolFormatException("Pending withdrawals are not strictly ascending.");
            }

            var counters = new ulong[request.Items.Length];
            for (int j = 0; j < counters.Length; j++)
            {
                counters[j] = r.U64("counter");
            }

            image.Pending.Add((request, counters));
        }

        int withdrawalReceipts = Count32(ref r, "withdrawal_receipts");
        for (int i = 0; i < withdrawalReceipts; i++)
        {
            image.WithdrawalReceipts.Add(WithdrawalReceipt.Decode(r.Opaque16("receipt", 1)));
        }

        int spendReceipts = Count32(ref r, "spend_receipts");
        for (int i = 0; i < spendReceipts; i++)
        {
            image.SpendReceipts.Add(SpendReceipt.Decode(r.Opaque16("receipt", 1)));
        }

        if (version >= 2)
        {
            ReadPendingSwaps(ref r, "pending_swaps", image.PendingSwaps, b => SwapRequest.Decode(b), q => q.IdempotencyKey, q => q.Outputs.Length);
            ReadPendingSwaps(ref r, "pending_recoveries", image.PendingRecoveries, b => RecoveryRequest.Decode(b), q => q.IdempotencyKey, q => q.Outputs.Length);
        }

        return image;
    }

    private static void ReadPendingSwaps<T>(ref ProtocolReader r, string field, List<(T Request, ulong[] Counters)> into, Func<byte[], T> decode, Func<T, IdempotencyKey> key, Func<T, int> outputs)
    {
        int count = Count32(ref r, field);
        for (int i = 0; i < count; i++)
        {
            var request = decode(r.Opaque32("request", 1, SealedFile.MaxPlaintextLength).ToArray());
            if (i > 0 && string.CompareOrdinal(key(into[^1].Request).Value, key(request).Value) >= 0)
            {
                throw new ProtocolFormatException($"Field '{field}' is not strictly ascending.");
            }

            var counters = new ulong[outputs(request)];
            for (int j = 0; j < counters.Length; j++)
            {
                counters[j] = r.U64("counter");
            }

            into.Add((request, counters));
        }
    }

    private static SignedTreeHead Head(ref ProtocolReader r)
    {
        var bytes = r.Fixed(SignedTreeHead.EncodedLength, "tree_head");
        return SignedTreeHead.TryDecode(bytes, out var head) ? head : throw new ProtocolFormatException("Field 'tree_head' is not a signed tree head.");
    }

    private static int Count32(ref ProtocolReader r, string field)
    {
        uint count = r.U32(field);
        return count <= MaxStateItems && count <= (uint)r.Remaining ? (int)count : throw new ProtocolFormatException($"Field '{field}' has too many items.");
    }

    private void Restore(WalletStateImage image)
    {
        lock (_lock)
        {
            _treeHead = image.TreeHead;
            _forkEvidence.AddRange(image.ForkEvidence);
            foreach (var (descriptor, next) in image.Keysets)
            {
                Wallet.Crypto.BlindRsa.BlindRsaPublicKey key;
                try
                {
                    key = descriptor.ImportPublicKey();
                }
                catch (CryptographicException ex)
                {
                    throw new WalletFileException(WalletFileError.Malformed, "A keyset in the wallet file has an unusable key.", ex);
                }

                _keysets[descriptor.Id] = new TrustedKeyset(descriptor, key) { NextCounter = next };
            }

            foreach (var (coin, counter) in image.Coins)
            {
                if (!_keysets.TryGetValue(coin.Keyset, out var keyset) || counter >= keyset.NextCounter)
                {
                    throw new WalletFileException(WalletFileError.Malformed, "A coin in the wallet file is of an unknown keyset or beyond its counter.");
                }

                using (var secrets = _seed.DeriveCoin(coin.Keyset.Bytes, counter))
                {
                    if (!secrets.SigningKey.PublicKey.AsSpan().SequenceEqual(coin.Id.Bytes))
                    {
                        throw new WalletFileException(WalletFileError.SeedMismatch, "The wallet file's coins were not derived from this seed.");
                    }
                }

                _coins[coin.Id] = new WalletCoin(coin, counter, keyset.Descriptor.Denomination);
            }

            _spent.UnionWith(image.Spent);
            foreach (var (request, counters) in image.Pending)
            {
                if (request.Account != Account)
                {
                    throw new WalletFileException(WalletFileError.Malformed, "A pending withdrawal in the wallet file is for another account.");
                }

                var slots = new (KeysetId Keyset, ulong Counter)[counters.Length];
                for (int i = 0; i < slots.Length; i++)
                {
                    var keysetId = request.Items[i].Keyset;
                    if (!_keysets.TryGetValue(keysetId, out var keyset) || counters[i] >= keyset.NextCounter)
                    {
                        throw new WalletFileException(WalletFileError.Malformed, "A pending withdrawal in the wallet file names an unknown keyset or counter.");
                    }

                    slots[i] = (keysetId, counters[i]);
                }

                _pending[request.IdempotencyKey] = slots;
                _pendingRequests[request.IdempotencyKey] = request;
            }

            foreach (var (request, counters) in image.PendingSwaps)
            {
                RestorePendingSwap(request.IdempotencyKey, request.Hash(), [.. request.Inputs], request.Outputs, counters, request);
            }

            foreach (var (request, counters) in image.PendingRecoveries)
            {
                if (request.Account != Account)
                {
                    throw new WalletFileException(WalletFileError.Malformed, "A pending recovery in the wallet file is for another account.");
                }

                RestorePendingSwap(request.IdempotencyKey, request.Hash(), [.. request.Inputs.Select(i => i.Coin)], request.Outputs, counters, request);
            }

            _withdrawalReceipts.AddRange(image.WithdrawalReceipts);
            _spendReceipts.AddRange(image.SpendReceipts);
        }
    }

    // The checks make a reloaded pending swap behave as the one prepared: its inputs are unspent coins of this wallet
    // reserved by no other entry, and its outputs are counters already handed out, so no later withdrawal reuses them.
    private void RestorePendingSwap(IdempotencyKey key, byte[] hash, Coin[] inputs, IReadOnlyList<WithdrawalItem> outputs, ulong[] counters, object request)
    {
        if (_pendingSwaps.ContainsKey(key))
        {
            throw new WalletFileException(WalletFileError.Malformed, "Two pending swaps in the wallet file share an idempotency key.");
        }

        var reserved = ReservedSet();
        var ids = new CoinId[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!_coins.TryGetValue(inputs[i].Id, out var held) || !held.Coin.Keyset.Equals(inputs[i].Keyset) || _spent.Contains(inputs[i].Id) || !reserved.Add(inputs[i].Id))
            {
                throw new WalletFileException(WalletFileError.Malformed, "A pending swap in the wallet file spends a coin the wallet does not hold unspent and unreserved.");
            }

            ids[i] = inputs[i].Id;
        }

        var slots = new (KeysetId Keyset, ulong Counter)[counters.Length];
        for (int i = 0; i < slots.Length; i++)
        {
            var keysetId = outputs[i].Keyset;
            if (!_keysets.TryGetValue(keysetId, out var keyset) || counters[i] >= keyset.NextCounter)
            {
                throw new WalletFileException(WalletFileError.Malformed, "A pending swap in the wallet file names an unknown keyset or counter.");
            }

            slots[i] = (keysetId, counters[i]);
        }

        _pendingSwaps[key] = new PendingSwap(hash, ids, slots, request);
    }

    private sealed class WalletStateImage
    {
        public AccountId Account { get; init; } = null!;

        public byte[] AccountKey { get; init; } = [];

        public byte[] SchemeKey { get; init; } = [];

        public SignedTreeHead? TreeHead { get; set; }

        public List<SignedTreeHead> ForkEvidence { get; } = [];

        public List<(KeysetDescriptor Descriptor, ulong NextCounter)> Keysets { get; } = [];

        public List<(Coin Coin, ulong Counter)> Coins { get; } = [];

        public List<CoinId> Spent { get; } = [];

        public List<(WithdrawalRequest Request, ulong[] Counters)> Pending { get; } = [];

        public List<(SwapRequest Request, ulong[] Counters)> PendingSwaps { get; } = [];

        public List<(RecoveryRequest Request, ulong[] Counters)> PendingRecoveries { get; } = [];

        public List<WithdrawalReceipt> WithdrawalReceipts { get; } = [];

        public List<SpendReceipt> SpendReceipts { get; } = [];
    }
}
