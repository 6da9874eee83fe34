namespace Wallet.Protocol.Providers;

/// <summary>
/// The accredited provider role of PB/1: issues signed payment requests, verifies offered coins offline, deposits
/// them in batches (retrying with the same idempotency key), and only after a verified deposit receipt returns
/// signed spend receipts that name no worker. Thread-safe. Dispose it to release the keyset public keys it imported
/// for verification (native OpenSSL handles); the receipt key passed in stays the caller's.
/// </summary>
/// <remarks>DESIGN.md section 3 flows 3 and 4; docs/PROTOCOL.md "Provider".</remarks>
public sealed partial class AccreditedProvider : IDisposable
{
    private readonly Lock _lock = new();
    private int _disposed;
    private readonly Ed25519SigningKey _receiptKey;
    private readonly Ed25519PublicKey _schemeKey;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, PaymentRequest> _open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (PaymentRequest Request, IReadOnlyList<CoinSpend> Spends)> _verified = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<KeysetId, Crypto.BlindRsa.BlindRsaVerifier?> _verifiers = new();

    /// <summary>Creates the provider role. The receipt key is not owned.</summary>
    /// <param name="record">The provider's registry record.</param>
    /// <param name="receiptKey">The private key matching <see cref="ProviderRecord.ReceiptKey"/>.</param>
    /// <param name="schemeKey">The scheme's public key (deposit receipts).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key does not match the record.</exception>
    public AccreditedProvider(ProviderRecord record, Ed25519SigningKey receiptKey, Ed25519PublicKey schemeKey, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(receiptKey);
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (!receiptKey.PublicKey.Equals(record.ReceiptKey))
        {
            throw new ArgumentException("The receipt key does not match the record.", nameof(receiptKey));
        }

        (Record, _receiptKey, _schemeKey, _time) = (record, receiptKey, schemeKey, timeProvider);
    }

    /// <summary>The provider's registry record.</summary>
    public ProviderRecord Record { get; }

    /// <summary>Creates and signs a payment request with a fresh random nonce.</summary>
    /// <param name="amount">The amount; positive.</param>
    /// <param name="purpose">The purpose shown to the worker.</param>
    /// <param name="validity">How long the request stays payable.</param>
    /// <returns>The signed request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="purpose"/> is null.</exception>
    /// <exception cref="ArgumentException">The purpose is too long or not NFC.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is zero or the validity negative.</exception>
    public PaymentRequest CreatePaymentRequest(Amount amount, string purpose, TimeSpan validity)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentOutOfRangeException.ThrowIfLessThan(validity, TimeSpan.Zero);
        var now = _time.GetUtcNow();
        var request = PaymentRequest.Sign(Record.Id, amount, purpose, RandomNumberGenerator.GetBytes(PaymentRequest.NonceLength), now, now + validity, _receiptKey);
        lock (_lock)
        {
            _open[Key(request)] = request;
        }

        return request;
    }

    /// <summary>
    /// Verifies offered coins offline against one of this provider's open requests: keysets known and in their
    /// spend window, fund allowed, issuer and spend signatures valid, exact sum. Accepted spends wait for
    /// <see cref="CreateDeposit"/>.
    /// </summary>
    /// <param name="request">The request being paid.</param>
    /// <param name="spends">The wallet's spends.</param>
    /// <param name="keysets">The keysets the provider trusts (checked in the log).</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The provider has been disposed.</exception>
    public PaymentVerification VerifyPayment(PaymentRequest request, IReadOnlyList<CoinSpend> spends, IReadOnlyCollection<KeysetDescriptor> keysets)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(spends);
        ArgumentNullException.ThrowIfNull(keysets);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        string key = Key(request);
        lock (_lock)
        {
            if (!_open.ContainsKey(key))
            {
                return PaymentVerification.UnknownRequest;
            }
        }

        if (_time.GetUtcNow() > request.ExpiresAt)
        {
            return PaymentVerification.Expired;
        }

        var byId = keysets.ToDictionary(k => k.Id);
        var seen = new HashSet<CoinId>();
        var total = Amount.Zero;
        foreach (var spend in spends)
        {
            if (Key(spend.Request) != key)
            {
                return PaymentVerification.WrongRequest;
            }

            if (!byId.TryGetValue(spend.Coin.Keyset, out var descriptor))
            {
                return PaymentVerification.UnknownKeyset;
            }

            if (!descriptor.IsSpendable(request.IssuedAt))
            {
                return PaymentVerification.OutsideSpendWindow;
            }

            if (!Record.Accepts(descriptor.Fund))
            {
                return PaymentVerification.FundNotAllowed;
            }

            if (Verifier(descriptor) is not { } verifier || !spend.Coin.VerifyIssuerWith(descriptor, verifier))
            {
                return PaymentVerification.BadIssuerSignature;
            }

            if (!spend.VerifySpendSignature())
            {
                return PaymentVerification.BadSpendSignature;
            }

            if (!seen.Add(spend.Coin.Id))
            {
                return PaymentVerification.AmountMismatch;
            }

            total += descriptor.Denomination;
        }

        if (total != request.Amount)
        {
            return PaymentVerification.AmountMismatch;
        }

        lock (_lock)
        {
            if (!_open.Remove(key))
            {
                return PaymentVerification.UnknownRequest;
            }

            _verified[key] = (request, [.. spends]);
        }

        return PaymentVerification.Accepted;
    }

    /// <summary>Batches every verified, not yet deposited spend into a deposit. Resend the same request to retry.</summary>
    /// <param name="key">The idempotency key.</param>
    /// <returns>The batch, or null when nothing waits.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public DepositRequest? CreateDeposit(IdempotencyKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_lock)
        {
            var spends = _verified.Values.SelectMany(v => v.Spends).Take(DepositRequest.MaxSpends).ToList();
            return spends.Count == 0 ? null : new DepositRequest(Record.Id, key, spends);
        }
    }

    /// <summary>
    /// Handles the scheme's answer to a deposit: when the receipt verifies (scheme signature, tree head, inclusion),
    /// the paid requests leave the queue and the provider signs one spend receipt per request. Otherwise nothing changes.
    /// </summary>
    /// <param name="request">The deposit sent.</param>
    /// <param name="result">The scheme's result.</param>
    /// <returns>The spend receipts for the workers; empty when the deposit did not verify.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public IReadOnlyList<(PaymentRequest Request, SpendReceipt Receipt)> CompleteDeposit(DepositRequest request, DepositResult result)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Status != DepositStatus.Accepted || result.Receipt is null || !result.Receipt.Verify(request, _schemeKey))
        {
            return [];
        }

        var now = _time.GetUtcNow();
        var receipts = new List<(PaymentRequest, SpendReceipt)>();
        lock (_lock)
        {
            foreach (string key in request.Spends.Select(s => Key(s.Request)).Distinct(StringComparer.Ordinal).ToList())
            {
                if (_verified.Remove(key, out var paid))
                {
                    receipts.Add((paid.Request, SpendReceipt.Sign(paid.Request, now, _receiptKey)));
                }
            }
        }

        return receipts;
    }

    /// <inheritdoc/>
    public override string ToString() => $"AccreditedProvider({Record.Id})";

    /// <summary>Releases the imported keyset public keys; verifying afterwards throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var verifier in _verifiers.Values)
        {
            verifier?.PublicKey.Dispose();
        }

        _verifiers.Clear();
    }

    // Keyset public keys are imported once: verifying a coin is then one RSA public operation.
    private Crypto.BlindRsa.BlindRsaVerifier? Verifier(KeysetDescriptor descriptor)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _verifiers.GetOrAdd(descriptor.Id, _ =>
        {
            try
            {
                return new Crypto.BlindRsa.BlindRsaVerifier(descriptor.Algorithm, descriptor.ImportPublicKey());
            }
            catch (CryptographicException)
            {
                return null;
            }
        });
    }

    private static string Key(PaymentRequest request) => Convert.ToHexString(request.Hash());
}
