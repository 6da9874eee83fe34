namespace Wallet.Protocol.Recovery;

/// <summary>
/// A worker's claim, after a keyset was revoked, to the never-spent coins it withdrew from it: each coin with its
/// disclosed blinding, and fresh blinded messages of current keysets of the same value per fund. Signed with the
/// account key, because the proof is "this account withdrew these blinded messages".
/// </summary>
/// <remarks>Signature domain "PB1/recovery-request" v1 over the body. docs/PROTOCOL.md section 5.11.</remarks>
public sealed class RecoveryRequest : SignedProtocolMessage<RecoveryRequest>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly SignedMessageCodec<RecoveryRequest> Codec = RegisterSigned("recovery request", Version, "PB1/recovery-request", ReadFields, static (m, w) => m.WriteBody(w));

    private RecoveryRequest(AccountId account, IdempotencyKey key, ImmutableArray<RecoveryItem> inputs, ImmutableArray<WithdrawalItem> outputs, DateTimeOffset createdAt, byte[] signature)
        : base(signature)
    {
        (Account, IdempotencyKey, Inputs, Outputs, CreatedAt) = (account, key, inputs, outputs, createdAt);
    }

    /// <summary>The worker's account.</summary>
    public AccountId Account { get; }

    /// <summary>The idempotency key, scoped to the account.</summary>
    public IdempotencyKey IdempotencyKey { get; }

    /// <summary>The coins claimed, with their blinding disclosed.</summary>
    public ImmutableArray<RecoveryItem> Inputs { get; }

    /// <summary>The replacement coins asked for.</summary>
    public ImmutableArray<WithdrawalItem> Outputs { get; }

    /// <summary>When the wallet made the request.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>Builds and signs a recovery request.</summary>
    /// <param name="account">The worker's account.</param>
    /// <param name="key">The idempotency key.</param>
    /// <param name="inputs">1 to 256 items.</param>
    /// <param name="outputs">1 to 256 blinded coins.</param>
    /// <param name="createdAt">The creation time.</param>
    /// <param name="accountKey">The worker's account key.</param>
    /// <returns>The signed request.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">A list is empty or too long.</exception>
    public static RecoveryRequest Sign(AccountId account, IdempotencyKey key, IReadOnlyList<RecoveryItem> inputs, IReadOnlyList<WithdrawalItem> outputs, DateTimeOffset createdAt, Ed25519SigningKey accountKey)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(accountKey);
        if (inputs.Count is 0 or > SwapRequest.MaxItems)
        {
            throw new ArgumentException("A recovery claims 1 to 256 coins.", nameof(inputs));
        }

        if (outputs.Count is 0 or > SwapRequest.MaxItems)
        {
            throw new ArgumentException("A recovery asks for 1 to 256 coins.", nameof(outputs));
        }

        var unsigned = new RecoveryRequest(account, key, [.. inputs], [.. outputs], DateTimeOffset.FromUnixTimeSeconds(createdAt.ToUnixTimeSeconds()), []);
        return new RecoveryRequest(account, key, unsigned.Inputs, unsigned.Outputs, unsigned.CreatedAt, Codec.Sign(unsigned, accountKey));
    }

    /// <summary>Checks the account key's signature.</summary>
    /// <param name="accountKey">The registered account key.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="accountKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey accountKey) => IsSignedBy(accountKey ?? throw new ArgumentNullException(nameof(accountKey)));

    /// <inheritdoc/>
    public override string ToString() => $"RecoveryRequest({Account}, {IdempotencyKey}, {Inputs.Length} in, {Outputs.Length} out)";

    private static RecoveryRequest ReadFields(ref ProtocolReader r)
    {
        var account = r.Account("account_id");
        var key = new IdempotencyKey(r.Ascii("idempotency_key"));
        var inputs = r.List("inputs", SwapRequest.MaxItems, RecoveryItem.Read, "A recovery claims at least one coin.");
        var outputs = r.List("outputs", SwapRequest.MaxItems, WithdrawalItem.Read, "A recovery asks for at least one coin.");
        var createdAt = r.Time("created_at");
        return new RecoveryRequest(account, key, inputs, outputs, createdAt, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Account.Value);
        w.Ascii(IdempotencyKey.Value);
        w.List(Inputs, static (item, w) => item.Write(w));
        w.List(Outputs, static (item, w) => item.Write(w));
        w.Time(CreatedAt);
    }
}
