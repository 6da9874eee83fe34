namespace Wallet.Protocol.Statements;

/// <summary>
/// A worker's request for its own statement or contribution receipts over a period, signed with the account key
/// (the key that signs withdrawals). Only that key may ask; each request is answered once, and only while fresh.
/// </summary>
/// <remarks>
/// Signature domain "PB1/statement-request" v1 over the body; docs/PROTOCOL.md 5.23. The random nonce makes every
/// request distinct, so the scheme can refuse a replayed one within <see cref="MaxClockSkew"/>.
/// </remarks>
public sealed class StatementRequest : SignedProtocolMessage<StatementRequest>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>The nonce's length in bytes.</summary>
    public const int NonceLength = 16;

    /// <summary>How far a request's time may lie from the scheme's clock, either way, before it is refused as stale.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    private static readonly SignedMessageCodec<StatementRequest> Codec = RegisterSigned("statement request", Version, "PB1/statement-request", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _nonce;

    private StatementRequest(AccountId account, StatementRequestPurpose purpose, DateTimeOffset from, DateTimeOffset to, DateTimeOffset signedAt, byte[] nonce, byte[] signature)
        : base(signature)
    {
        (Account, Purpose, From, To, SignedAt, _nonce) = (account, purpose, from, to, signedAt, nonce);
    }

    /// <summary>The account asking (its own).</summary>
    public AccountId Account { get; }

    /// <summary>What is asked for.</summary>
    public StatementRequestPurpose Purpose { get; }

    /// <summary>The period's start (inclusive), whole seconds.</summary>
    public DateTimeOffset From { get; }

    /// <summary>The period's end (exclusive), whole seconds, after <see cref="From"/>.</summary>
    public DateTimeOffset To { get; }

    /// <summary>When the wallet signed, whole seconds.</summary>
    public DateTimeOffset SignedAt { get; }

    /// <summary>The random nonce.</summary>
    public ReadOnlySpan<byte> Nonce => _nonce;

    /// <summary>Builds and signs a request with a fresh random nonce.</summary>
    /// <param name="account">The worker's account.</param>
    /// <param name="purpose">What is asked for.</param>
    /// <param name="from">The period's start (inclusive).</param>
    /// <param name="to">The period's end (exclusive).</param>
    /// <param name="signedAt">The signing time.</param>
    /// <param name="accountKey">The worker's account key.</param>
    /// <returns>The signed request.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="purpose"/> is undefined, or the period (to whole seconds) is empty or starts before 1970.</exception>
    public static StatementRequest Sign(AccountId account, StatementRequestPurpose purpose, DateTimeOffset from, DateTimeOffset to, DateTimeOffset signedAt, Ed25519SigningKey accountKey) =>
        Sign(account, purpose, from, to, signedAt, RandomNumberGenerator.GetBytes(NonceLength), accountKey);

    /// <summary>Checks the account key's signature.</summary>
    /// <param name="accountKey">The registered account key.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="accountKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey accountKey) => IsSignedBy(accountKey ?? throw new ArgumentNullException(nameof(accountKey)));

    /// <inheritdoc/>
    public override string ToString() => $"StatementRequest({Account}, {Purpose}, {From:u}..{To:u})";

    // The test seam: a fixed nonce replays a vector.
    internal static StatementRequest Sign(AccountId account, StatementRequestPurpose purpose, DateTimeOffset from, DateTimeOffset to, DateTimeOffset signedAt, byte[] nonce, Ed25519SigningKey accountKey)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(accountKey);
        if (!Enum.IsDefined(purpose))
        {
            throw new ArgumentOutOfRangeException(nameof(purpose), "Unknown statement request purpose.");
        }

        var start = Seconds(from);
        var end = Seconds(to);
        if (start.ToUnixTimeSeconds() < 0 || end <= start)
        {
            throw new ArgumentOutOfRangeException(nameof(to), "The period is empty or starts before 1970.");
        }

        var unsigned = new StatementRequest(account, purpose, start, end, Seconds(signedAt), nonce, []);
        return new StatementRequest(account, purpose, start, end, unsigned.SignedAt, nonce, Codec.Sign(unsigned, accountKey));
    }

    private static DateTimeOffset Seconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds());

    private static StatementRequest ReadFields(ref ProtocolReader r)
    {
        var account = r.Account("account_id");
        byte purpose = r.U8("purpose");
        if (!Enum.IsDefined((StatementRequestPurpose)purpose))
        {
            throw new ProtocolFormatException("Unknown statement request purpose.");
        }

        var from = r.Time("from");
        var to = r.Time("to");
        if (to <= from)
        {
            throw new ProtocolFormatException("A statement period ends after it starts.");
        }

        var signedAt = r.Time("signed_at");
        byte[] nonce = r.Fixed(NonceLength, "nonce").ToArray();
        return new StatementRequest(account, (StatementRequestPurpose)purpose, from, to, signedAt, nonce, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Account.Value);
        w.U8((byte)Purpose);
        w.Time(From);
        w.Time(To);
        w.Time(SignedAt);
        w.Fixed(_nonce);
    }
}
