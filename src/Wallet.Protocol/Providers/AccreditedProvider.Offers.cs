namespace Wallet.Protocol.Providers;

/// <summary>
/// Published payment requests (docs/PROTOCOL.md section 5.20): the provider makes a request fetchable by wallets, by its
/// payment id or by a short offer code a person can type or a QR code can carry, for as long as it is open.
/// </summary>
public sealed partial class AccreditedProvider
{
    /// <summary>The length of an offer code: 10 characters of 32, 50 random bits.</summary>
    public const int OfferCodeLength = 10;

    // Crockford-style base 32, lower case, without i, l, o and u: nothing a person misreads.
    private const string OfferCodeAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    private const int PublishedOffers = 100_000;

    private readonly Lock _offersGate = new();
    private readonly Dictionary<PaymentId, PaymentOffer> _offersById = [];
    private readonly Dictionary<string, PaymentOffer> _offersByCode = new(StringComparer.Ordinal);
    private readonly Queue<PaymentOffer> _offerOrder = new();

    /// <summary>Whether <paramref name="code"/> has the form of an offer code (length and alphabet), before any lookup.</summary>
    /// <param name="code">The code.</param>
    /// <returns>Whether it could be an offer code.</returns>
    public static bool IsOfferCode(string? code) => code is { Length: OfferCodeLength } && code.All(OfferCodeAlphabet.Contains);

    /// <summary>
    /// Creates a payment request (<see cref="CreatePaymentRequestAsync"/>) and publishes it: wallets fetch it by its id or
    /// its fresh random offer code while it is open. Published requests live in this process's memory (the newest
    /// 100,000); the request itself is stored as open as usual.
    /// </summary>
    /// <param name="amount">The amount; positive.</param>
    /// <param name="purpose">The purpose shown to the worker.</param>
    /// <param name="validity">How long the request stays payable.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The published request and its code.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="purpose"/> is null.</exception>
    /// <exception cref="ArgumentException">The purpose is too long or not NFC.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is zero or the validity negative.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PaymentOffer> PublishPaymentRequestAsync(Amount amount, string purpose, TimeSpan validity, CancellationToken cancellationToken = default)
    {
        var request = await CreatePaymentRequestAsync(amount, purpose, validity, cancellationToken).ConfigureAwait(false);
        lock (_offersGate)
        {
            string code;
            do
            {
                code = string.Create(OfferCodeLength, 0, static (chars, _) =>
                {
                    for (int i = 0; i < chars.Length; i++)
                    {
                        chars[i] = OfferCodeAlphabet[RandomNumberGenerator.GetInt32(OfferCodeAlphabet.Length)];
                    }
                });
            }
            while (_offersByCode.ContainsKey(code));

            var offer = new PaymentOffer(request, code);
            _offersById[request.Id] = offer;
            _offersByCode[code] = offer;
            _offerOrder.Enqueue(offer);
            while (_offerOrder.Count > PublishedOffers)
            {
                var old = _offerOrder.Dequeue();
                _offersById.Remove(old.Request.Id);
                _offersByCode.Remove(old.Code);
            }

            return offer;
        }
    }

    /// <summary>Finds a published request by its payment id, and says whether it is still payable.</summary>
    /// <param name="payment">The payment id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The request when open; otherwise why not.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<PaymentOfferLookup> FindPaymentOfferAsync(PaymentId payment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        PaymentOffer? offer;
        lock (_offersGate)
        {
            offer = _offersById.GetValueOrDefault(payment);
        }

        return LookupAsync(offer, cancellationToken);
    }

    /// <summary>Finds a published request by its offer code, and says whether it is still payable.</summary>
    /// <param name="code">The offer code.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The request when open; otherwise why not (an ill-formed code is unknown).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<PaymentOfferLookup> FindPaymentOfferAsync(string code, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        PaymentOffer? offer;
        lock (_offersGate)
        {
            offer = _offersByCode.GetValueOrDefault(code);
        }

        return LookupAsync(offer, cancellationToken);
    }

    private async Task<PaymentOfferLookup> LookupAsync(PaymentOffer? offer, CancellationToken cancellationToken)
    {
        if (offer is null)
        {
            return new PaymentOfferLookup(PaymentOfferStatus.Unknown, null);
        }

        // The store decides whether the request still takes coins; the published copy only says what it was.
        var state = await _store.GetPaymentStateAsync(offer.Request.Id, cancellationToken).ConfigureAwait(false);
        if (state.Status != ProviderPaymentStatus.Open)
        {
            return new PaymentOfferLookup(state.Status == ProviderPaymentStatus.Unknown ? PaymentOfferStatus.Unknown : PaymentOfferStatus.Closed, null);
        }

        return _time.GetUtcNow() > offer.Request.Details!.ExpiresAt
            ? new PaymentOfferLookup(PaymentOfferStatus.Expired, null)
            : new PaymentOfferLookup(PaymentOfferStatus.Open, offer);
    }
}
