namespace Wallet.Protocol.Refunds;

/// <summary>
/// A provider's signed refund of one payment, whole or part: the refund id, the provider, the payment, the refunded
/// coin ids (ascending, all of that one payment) and the amount given back. It names no worker: the coins' holder
/// claims it with a <see cref="RefundClaimRequest"/> signed by the coin keys.
/// </summary>
/// <remarks>
/// Signature domain "PB1/provider-refund" v1 over the body, by the provider's receipt key from its accreditation
/// record. The issue time keeps only its day, like a payment request's. docs/PROTOCOL.md 5.17.
/// </remarks>
public sealed class ProviderRefund : SignedProtocolMessage<ProviderRefund>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Most coins one refund names (a payment has at most this many).</summary>
    public const int MaxCoins = 256;

    private static readonly SignedMessageCodec<ProviderRefund> Codec = RegisterSigned("provider refund", Version, "PB1/provider-refund", ReadFields, static (m, w) => m.WriteBody(w));

    private ProviderRefund(RefundId id, AccountId provider, PaymentId payment, ImmutableArray<CoinId> coins, Amount amount, DateTimeOffset issuedOn, byte[] signature)
        : base(signature)
    {
        (Id, Provider, Payment, Coins, Amount, IssuedOn) = (id, provider, payment, coins, amount, issuedOn);
    }

    /// <summary>The refund's id.</summary>
    public RefundId Id { get; }

    /// <summary>The provider refunding (the one the payment paid).</summary>
    public AccountId Provider { get; }

    /// <summary>The payment refunded.</summary>
    public PaymentId Payment { get; }

    /// <summary>The refunded coins, strictly ascending.</summary>
    public ImmutableArray<CoinId> Coins { get; }

    /// <summary>The value given back; positive and at most the refunded coins' value.</summary>
    public Amount Amount { get; }

    /// <summary>The day the refund was issued (midnight UTC).</summary>
    public DateTimeOffset IssuedOn { get; }

    /// <summary>Signs a refund.</summary>
    /// <param name="id">The refund id (fresh and random: <see cref="RefundId.NewId"/>).</param>
    /// <param name="provider">The provider.</param>
    /// <param name="payment">The payment refunded.</param>
    /// <param name="coins">1 to 256 distinct coins of that payment (any order; stored ascending).</param>
    /// <param name="amount">The value given back; positive.</param>
    /// <param name="issuedAt">The time; the refund keeps only its day.</param>
    /// <param name="receiptKey">The provider's receipt key.</param>
    /// <returns>The signed refund.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The coin list is empty, too long or repeats a coin.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero.</exception>
    public static ProviderRefund Sign(RefundId id, AccountId provider, PaymentId payment, IReadOnlyList<CoinId> coins, Amount amount, DateTimeOffset issuedAt, Ed25519SigningKey receiptKey)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(coins);
        ArgumentNullException.ThrowIfNull(receiptKey);
        if (coins.Count is 0 or > MaxCoins || coins.Distinct().Count() != coins.Count)
        {
            throw new ArgumentException("A refund names 1 to 256 distinct coins.", nameof(coins));
        }

        if (amount.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "The amount is positive.");
        }

        var unsigned = new ProviderRefund(id, provider, payment, [.. coins.Order()], amount, PaymentRequest.DayOf(issuedAt), []);
        return new ProviderRefund(id, provider, payment, unsigned.Coins, amount, unsigned.IssuedOn, Codec.Sign(unsigned, receiptKey));
    }

    /// <summary>Checks the provider's signature.</summary>
    /// <param name="receiptKey">The provider's receipt key from its accreditation record.</param>
    /// <returns>Whether the refund is signed by that key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="receiptKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey receiptKey) => IsSignedBy(receiptKey ?? throw new ArgumentNullException(nameof(receiptKey)));

    /// <inheritdoc/>
    public override string ToString() => $"ProviderRefund({Provider}, {Amount}, {Coins.Length} coins)";

    private static ProviderRefund ReadFields(ref ProtocolReader r)
    {
        var id = new RefundId(r.Fixed(RefundId.Length, "refund_id"));
        var provider = r.Account("provider_id");
        var payment = new PaymentId(r.Fixed(PaymentId.Length, "payment_id"));
        var coins = r.List("coins", MaxCoins, static (ref ProtocolReader r) => r.Coin("coin_id"), "A refund names at least one coin.");
        ProtocolCodec.RequireAscending(coins, static (a, b) => a.CompareTo(b), "Refunded coins are not strictly ascending.");
        var amount = r.Amount("amount", positive: true);
        var issuedOn = r.Time("issued_on");
        if (issuedOn != PaymentRequest.DayOf(issuedOn))
        {
            throw new ProtocolFormatException("A refund's issue time is a whole day.");
        }

        return new ProviderRefund(id, provider, payment, coins, amount, issuedOn, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Fixed(Id.Bytes);
        w.Ascii(Provider.Value);
        w.Fixed(Payment.Bytes);
        w.List(Coins, static (c, w) => w.Fixed(c.Bytes));
        w.Amount(Amount);
        w.Time(IssuedOn);
    }
}
