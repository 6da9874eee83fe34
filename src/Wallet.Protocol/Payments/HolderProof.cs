namespace Wallet.Protocol.Payments;

/// <summary>
/// A wallet's proof that it holds the coins of a payment (docs/PROTOCOL.md section 5.20): each coin's key signs the
/// purpose, the provider, the payment, the time and a fresh nonce, so the provider can hand the payment's spend receipt
/// (or its refund) to the wallet that paid and to nobody else, without learning anything beyond the coins it was paid with.
/// </summary>
/// <remarks>
/// Encoding: <c>u8 version = 1; u8 purpose; ascii provider_id; u8 payment_id[32]; i64 signed_at; u8 nonce[16];
/// u16 count; u8 coin_id[32] × count (strictly ascending); u8 signature[64] × count</c>. Every coin signs, with
/// domain "PB1/holder-proof" v1, the SHA-256 of everything before the signatures (<see cref="BodyHash"/>), so a
/// signature binds the whole coin set. The provider accepts it within <see cref="MaxClockSkew"/> of its clock and
/// at most once (a replay of the same body is refused while it is within the window).
/// </remarks>
public sealed class HolderProof : ProtocolMessage<HolderProof>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Nonce length in bytes.</summary>
    public const int NonceLength = 16;

    /// <summary>Most coins in one proof: a payment's largest number of spends (one deposit batch).</summary>
    public const int MaxCoins = 1024;

    private static readonly MessageCodec<HolderProof> Codec = Register(new MessageCodec<HolderProof>("holder proof", Version, ReadFields, static (m, w) => m.WriteFields(w)));

    private readonly byte[] _nonce;

    private readonly ImmutableArray<byte[]> _signatures;

    private HolderProof(HolderProofPurpose purpose, AccountId provider, PaymentId payment, DateTimeOffset signedAt, byte[] nonce, ImmutableArray<CoinId> coins, ImmutableArray<byte[]> signatures) =>
        (Purpose, Provider, Payment, SignedAt, _nonce, Coins, _signatures) = (purpose, provider, payment, signedAt, nonce, coins, signatures);

    /// <summary>Gets the signature domain of every coin's signature.</summary>
    public static SignatureDomain Domain { get; } = new("PB1/holder-proof", 1);

    /// <summary>Gets how far the proof's time may lie from the provider's clock, either way.</summary>
    public static TimeSpan MaxClockSkew { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets what the proof asks for.</summary>
    public HolderProofPurpose Purpose { get; }

    /// <summary>Gets the provider the proof is addressed to.</summary>
    public AccountId Provider { get; }

    /// <summary>Gets the payment whose coins the sender holds.</summary>
    public PaymentId Payment { get; }

    /// <summary>Gets when the wallet signed (whole seconds).</summary>
    public DateTimeOffset SignedAt { get; }

    /// <summary>Gets the fresh random nonce.</summary>
    public ReadOnlySpan<byte> Nonce => _nonce;

    /// <summary>Gets the coins, ascending.</summary>
    public ImmutableArray<CoinId> Coins { get; }

    /// <summary>Signs a proof with a fresh random nonce.</summary>
    /// <param name="purpose">What the proof asks for.</param>
    /// <param name="provider">The provider it is addressed to.</param>
    /// <param name="payment">The payment.</param>
    /// <param name="signedAt">The time (truncated to whole seconds).</param>
    /// <param name="coinKeys">The keys of the payment's coins, in any order (not disposed).</param>
    /// <returns>The proof.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The purpose is unknown, or the keys are empty, too many, or repeat a coin.</exception>
    public static HolderProof Sign(HolderProofPurpose purpose, AccountId provider, PaymentId payment, DateTimeOffset signedAt, IReadOnlyList<Ed25519SigningKey> coinKeys) =>
        Sign(purpose, provider, payment, signedAt, RandomNumberGenerator.GetBytes(NonceLength), coinKeys);

    /// <summary>Signs a proof with a given nonce (known-answer vectors; use the other overload otherwise).</summary>
    /// <param name="purpose">What the proof asks for.</param>
    /// <param name="provider">The provider it is addressed to.</param>
    /// <param name="payment">The payment.</param>
    /// <param name="signedAt">The time (truncated to whole seconds).</param>
    /// <param name="nonce">16 random bytes.</param>
    /// <param name="coinKeys">The keys of the payment's coins, in any order (not disposed).</param>
    /// <returns>The proof.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The purpose is unknown, the nonce has the wrong length, or the keys are empty, too many, or repeat a coin.</exception>
    public static HolderProof Sign(HolderProofPurpose purpose, AccountId provider, PaymentId payment, DateTimeOffset signedAt, ReadOnlySpan<byte> nonce, IReadOnlyList<Ed25519SigningKey> coinKeys)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(coinKeys);
        if (!Enum.IsDefined(purpose))
        {
            throw new ArgumentException("Unknown purpose.", nameof(purpose));
        }

        if (nonce.Length != NonceLength)
        {
            throw new ArgumentException("The nonce has 16 bytes.", nameof(nonce));
        }

        var keyed = coinKeys.Select(k => (Coin: new CoinId((k ?? throw new ArgumentNullException(nameof(coinKeys))).PublicKey.AsSpan()), Key: k)).OrderBy(k => k.Coin).ToList();
        if (keyed.Count is 0 or > MaxCoins || keyed.Select(k => k.Coin).Distinct().Count() != keyed.Count)
        {
            throw new ArgumentException("A holder proof signs with 1 to 1024 distinct coin keys.", nameof(coinKeys));
        }

        var unsigned = new HolderProof(purpose, provider, payment, DateTimeOffset.FromUnixTimeSeconds(signedAt.ToUnixTimeSeconds()), nonce.ToArray(), [.. keyed.Select(k => k.Coin)], []);
        byte[] hash = unsigned.BodyHash();
        return new HolderProof(unsigned.Purpose, provider, payment, unsigned.SignedAt, unsigned._nonce, unsigned.Coins, [.. keyed.Select(k => k.Key.Sign(Domain, hash))]);
    }

    /// <summary>SHA-256 of the body (everything before the signatures): what every coin signs, and what a provider remembers against replays.</summary>
    /// <returns>32 bytes.</returns>
    public byte[] BodyHash() => SHA256.HashData(ProtocolCodec.Encode(w =>
    {
        w.U8(Version);
        WriteBody(w);
    }));

    /// <summary>
    /// The stateless checks of a provider, in order: provider, purpose, payment, time window, the coin set, every coin's
    /// signature. Replays are the caller's to refuse (the provider remembers <see cref="BodyHash"/> within the window).
    /// </summary>
    /// <param name="provider">The provider checking (its own id).</param>
    /// <param name="purpose">What the caller is about to answer.</param>
    /// <param name="payment">The payment asked about.</param>
    /// <param name="paymentCoins">The payment's coins as the provider knows them.</param>
    /// <param name="now">The provider's clock.</param>
    /// <returns><see cref="HolderProofStatus.Valid"/>, or the first check that failed.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public HolderProofStatus Check(AccountId provider, HolderProofPurpose purpose, PaymentId payment, IReadOnlyCollection<CoinId> paymentCoins, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(paymentCoins);
        if (Provider != provider)
        {
            return HolderProofStatus.WrongProvider;
        }

        if (Purpose != purpose)
        {
            return HolderProofStatus.WrongPurpose;
        }

        if (Payment != payment)
        {
            return HolderProofStatus.WrongPayment;
        }

        if (SignedAt < now - MaxClockSkew || SignedAt > now + MaxClockSkew)
        {
            return HolderProofStatus.Stale;
        }

        // Exactly the payment's coins: a wallet holding some other coins, or only part of these, proves nothing.
        if (paymentCoins.Count != Coins.Length || !Coins.All(paymentCoins.Contains))
        {
            return HolderProofStatus.WrongCoins;
        }

        byte[] hash = BodyHash();
        for (int i = 0; i < Coins.Length; i++)
        {
            if (!Ed25519PublicKey.TryImport(Coins[i].Bytes, out var key) || !key.Verify(Domain, hash, _signatures[i]))
            {
                return HolderProofStatus.BadSignature;
            }
        }

        return HolderProofStatus.Valid;
    }

    /// <inheritdoc/>
    /// <remarks>Names neither the coins nor the nonce.</remarks>
    public override string ToString() => $"HolderProof({Purpose}, {Provider}, {Payment}, {Coins.Length} coins)";

    private static HolderProof ReadFields(ref ProtocolReader r)
    {
        var purpose = (HolderProofPurpose)r.U8("purpose");
        if (!Enum.IsDefined(purpose))
        {
            throw new ProtocolFormatException("Unknown holder proof purpose.");
        }

        var provider = r.Account("provider_id");
        var payment = new PaymentId(r.Fixed(PaymentId.Length, "payment_id"));
        var signedAt = r.Time("signed_at");
        byte[] nonce = r.Fixed(NonceLength, "nonce").ToArray();
        var coins = r.List("coins", MaxCoins, static (ref ProtocolReader r) => r.Coin("coin_id"), "A holder proof names at least one coin.");
        ProtocolCodec.RequireAscending(coins, static (a, b) => a.CompareTo(b), "The coins are not in strictly ascending order.");
        var signatures = ImmutableArray.CreateBuilder<byte[]>(coins.Length);
        for (int i = 0; i < coins.Length; i++)
        {
            signatures.Add(r.Signature());
        }

        return new HolderProof(purpose, provider, payment, signedAt, nonce, coins, signatures.MoveToImmutable());
    }

    private void WriteFields(ProtocolWriter w)
    {
        WriteBody(w);
        foreach (byte[] signature in _signatures)
        {
            w.Fixed(signature);
        }
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.U8((byte)Purpose);
        w.Ascii(Provider.Value);
        w.Fixed(Payment.Bytes);
        w.Time(SignedAt);
        w.Fixed(_nonce);
        w.List(Coins, static (coin, w) => w.Fixed(coin.Bytes));
    }
}
