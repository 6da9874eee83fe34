namespace Wallet.Protocol.Deposits;

/// <summary>A provider's batch of coin spends, under an idempotency key so a retry has exactly one effect.</summary>
/// <remarks>
/// Unsigned: every spend already names the provider inside its signed payment request, and the scheme credits only
/// that provider, so a third party submitting the batch can only pay the right provider early.
/// </remarks>
public sealed class DepositRequest : ProtocolMessage<DepositRequest>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly MessageCodec<DepositRequest> Codec = Register(new MessageCodec<DepositRequest>("deposit request", Version, ReadFields, static (m, w) => m.WriteFields(w)));

    /// <summary>Most spends per batch.</summary>
    public const int MaxSpends = 1024;

    /// <summary>Creates a batch.</summary>
    /// <param name="provider">The depositing provider.</param>
    /// <param name="key">The idempotency key.</param>
    /// <param name="spends">1 to 1024 spends.</param>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">There are no spends or too many.</exception>
    public DepositRequest(AccountId provider, IdempotencyKey key, IReadOnlyList<CoinSpend> spends)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(spends);
        if (spends.Count is 0 or > MaxSpends)
        {
            throw new ArgumentException("A deposit has 1 to 1024 spends.", nameof(spends));
        }

        Provider = provider;
        IdempotencyKey = key;
        Spends = [.. spends];
    }

    /// <summary>The depositing provider.</summary>
    public AccountId Provider { get; }

    /// <summary>The idempotency key.</summary>
    public IdempotencyKey IdempotencyKey { get; }

    /// <summary>The spends.</summary>
    public ImmutableArray<CoinSpend> Spends { get; }

    private void WriteFields(ProtocolWriter w)
    {
        w.Ascii(Provider.Value);
        w.Ascii(IdempotencyKey.Value);
        w.List(Spends, static (s, w) => s.Write(w));
    }

    /// <inheritdoc/>
    public override string ToString() => $"DepositRequest({Provider}, {IdempotencyKey}, {Spends.Length} coins)";

    private static DepositRequest ReadFields(ref ProtocolReader r)
    {
        var provider = r.Account("provider_id");
        var key = new IdempotencyKey(r.Ascii("idempotency_key"));
        int count = r.Count("spends", MaxSpends);
        var spends = new CoinSpend[count];
        for (int i = 0; i < count; i++)
        {
            spends[i] = CoinSpend.Read(ref r);
        }

        return new DepositRequest(provider, key, spends);
    }
}
