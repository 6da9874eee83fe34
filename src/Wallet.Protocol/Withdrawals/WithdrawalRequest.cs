namespace Wallet.Protocol.Withdrawals;

/// <summary>A worker's request for blind signatures, signed with the worker's account key under an idempotency key.</summary>
/// <remarks>Signature domain "PB1/withdrawal-request" v1 over the body. DESIGN.md section 3, flow 2.</remarks>
public sealed class WithdrawalRequest : SignedProtocolMessage<WithdrawalRequest>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Most coins per request.</summary>
    public const int MaxItems = 1024;

    private static readonly SignedMessageCodec<WithdrawalRequest> Codec = RegisterSigned("withdrawal request", Version, "PB1/withdrawal-request", ReadFields, static (m, w) => m.WriteBody(w));

    private WithdrawalRequest(AccountId account, IdempotencyKey key, ImmutableArray<WithdrawalItem> items, DateTimeOffset createdAt, byte[] signature)
        : base(signature)
    {
        (Account, IdempotencyKey, Items, CreatedAt) = (account, key, items, createdAt);
    }

    /// <summary>The worker's account.</summary>
    public AccountId Account { get; }

    /// <summary>The idempotency key: a retry with the same key and bytes has one effect.</summary>
    public IdempotencyKey IdempotencyKey { get; }

    /// <summary>The coins asked for.</summary>
    public ImmutableArray<WithdrawalItem> Items { get; }

    /// <summary>When the wallet made the request.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Builds and signs a request.</summary>
    /// <param name="account">The worker's account.</param>
    /// <param name="key">The idempotency key.</param>
    /// <param name="items">1 to 1024 items.</param>
    /// <param name="createdAt">The creation time.</param>
    /// <param name="accountKey">The worker's account key.</param>
    /// <returns>The signed request.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">There are no items or too many.</exception>
    public static WithdrawalRequest Sign(AccountId account, IdempotencyKey key, IReadOnlyList<WithdrawalItem> items, DateTimeOffset createdAt, Ed25519SigningKey accountKey)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(accountKey);
        if (items.Count is 0 or > MaxItems)
        {
            throw new ArgumentException("A withdrawal has 1 to 1024 items.", nameof(items));
        }

        var unsigned = new WithdrawalRequest(account, key, [.. items], DateTimeOffset.FromUnixTimeSeconds(createdAt.ToUnixTimeSeconds()), []);
        return new WithdrawalRequest(account, key, unsigned.Items, unsigned.CreatedAt, Codec.Sign(unsigned, accountKey));
    }

    /// <summary>Checks the account key's signature.</summary>
    /// <param name="accountKey">The registered account key.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="accountKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey accountKey) => IsSignedBy(accountKey ?? throw new ArgumentNullException(nameof(accountKey)));

    /// <inheritdoc/>
    public override string ToString() => $"WithdrawalRequest({Account}, {IdempotencyKey}, {Items.Length} coins)";

    private static WithdrawalRequest ReadFields(ref ProtocolReader r)
    {
        var account = r.Account("account_id");
        var key = new IdempotencyKey(r.Ascii("idempotency_key"));
        var items = r.List("items", MaxItems, WithdrawalItem.Read, "A withdrawal has at least one item.");
        var createdAt = r.Time("created_at");
        return new WithdrawalRequest(account, key, items, createdAt, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Account.Value);
        w.Ascii(IdempotencyKey.Value);
        w.List(Items, static (item, w) => item.Write(w));
        w.Time(CreatedAt);
    }
}
