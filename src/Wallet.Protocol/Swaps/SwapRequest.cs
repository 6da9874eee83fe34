namespace Wallet.Protocol.Swaps;

/// <summary>
/// An anonymous swap: coins the wallet holds, each signed by its coin key over the hash of the swap body, exchanged
/// for blind signatures on fresh blinded messages of the same total value per fund (exact change, rollover).
/// </summary>
/// <remarks>
/// No account and no account signature: a swap must not link the coins it consumes or creates to a worker, or the
/// scheme could follow a worker's money from withdrawal through change to every provider paid. The coin-key
/// signatures bind the inputs to these exact outputs (and this key), so the scheme or an eavesdropper cannot
/// redirect them. docs/PROTOCOL.md sections 3 and 5.10.
/// </remarks>
public sealed class SwapRequest : ProtocolMessage<SwapRequest>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly MessageCodec<SwapRequest> Codec = Register(new MessageCodec<SwapRequest>("swap request", Version, ReadFields, static (m, w) => m.WriteFields(w)));

    /// <summary>Most input coins or output coins per swap.</summary>
    public const int MaxItems = 256;

    private readonly ImmutableArray<byte[]> _signatures;

    private SwapRequest(IdempotencyKey key, ImmutableArray<Coin> inputs, ImmutableArray<WithdrawalItem> outputs, ImmutableArray<byte[]> signatures)
    {
        (IdempotencyKey, Inputs, Outputs, _signatures) = (key, inputs, outputs, signatures);
    }

    /// <summary>The idempotency key (random per swap; a retry resends the same bytes).</summary>
    public IdempotencyKey IdempotencyKey { get; }

    /// <summary>The coins spent.</summary>
    public ImmutableArray<Coin> Inputs { get; }

    /// <summary>The coins asked for.</summary>
    public ImmutableArray<WithdrawalItem> Outputs { get; }

    /// <summary>The spend of input <paramref name="index"/> as standalone evidence.</summary>
    /// <param name="index">The input index.</param>
    /// <returns>The spend.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the inputs.</exception>
    public SwapSpend Spend(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Inputs.Length);
        return new SwapSpend(Inputs[index], BodyHash(), _signatures[index]);
    }

    /// <summary>Every input's spend as standalone evidence, hashing the body once.</summary>
    /// <returns>One spend per input, in order.</returns>
    public IReadOnlyList<SwapSpend> Spends()
    {
        byte[] hash = BodyHash();
        return [.. Inputs.Select((coin, i) => new SwapSpend(coin, hash, _signatures[i]))];
    }

    /// <summary>Builds a swap and signs every input with its coin key.</summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="inputs">1 to 256 distinct coins.</param>
    /// <param name="outputs">1 to 256 blinded coins.</param>
    /// <param name="coinKeys">The coin key of each input, in order (not disposed).</param>
    /// <returns>The signed swap.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">A list is empty or too long, a coin repeats, or a key is not its coin's.</exception>
    public static SwapRequest Sign(IdempotencyKey key, IReadOnlyList<Coin> inputs, IReadOnlyList<WithdrawalItem> outputs, IReadOnlyList<Ed25519SigningKey> coinKeys)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(coinKeys);
        if (inputs.Count is 0 or > MaxItems || inputs.Select(c => c.Id).Distinct().Count() != inputs.Count)
        {
            throw new ArgumentException("A swap spends 1 to 256 distinct coins.", nameof(inputs));
        }

        if (outputs.Count is 0 or > MaxItems)
        {
            throw new ArgumentException("A swap asks for 1 to 256 coins.", nameof(outputs));
        }

        if (coinKeys.Count != inputs.Count)
        {
            throw new ArgumentException("One coin key per input.", nameof(coinKeys));
        }

        var unsigned = new SwapRequest(key, [.. inputs], [.. outputs], []);
        byte[] hash = unsigned.BodyHash();
        var signatures = new byte[inputs.Count][];
        for (int i = 0; i < signatures.Length; i++)
        {
            if (!coinKeys[i].PublicKey.AsSpan().SequenceEqual(inputs[i].Id.Bytes))
            {
                throw new ArgumentException("A key is not its coin's key.", nameof(coinKeys));
            }

            signatures[i] = coinKeys[i].Sign(SwapSpend.Domain, SwapSpend.SignedContent(inputs[i], hash));
        }

        return new SwapRequest(key, unsigned.Inputs, unsigned.Outputs, [.. signatures]);
    }

    /// <summary>Checks the coin-key signature of input <paramref name="index"/> over this swap.</summary>
    /// <param name="index">The input index.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the inputs.</exception>
    public bool VerifySpend(int index) => Spend(index).Verify();

    /// <summary>SHA-256 of the body (everything before the signatures): what every input's signature binds.</summary>
    /// <returns>32 bytes.</returns>
    public byte[] BodyHash() => SHA256.HashData(ProtocolCodec.Encode(w =>
    {
        w.U8(Version);
        WriteBody(w);
    }));

    private void WriteFields(ProtocolWriter w)
    {
        WriteBody(w);
        foreach (var s in _signatures)
        {
            w.Fixed(s);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"SwapRequest({IdempotencyKey}, {Inputs.Length} in, {Outputs.Length} out)";

    private static SwapRequest ReadFields(ref ProtocolReader r)
    {
        var key = new IdempotencyKey(r.Ascii("idempotency_key"));
        var inputs = r.List("inputs", MaxItems, Coin.Read, "A swap spends at least one coin.");
        var outputs = r.List("outputs", MaxItems, WithdrawalItem.Read, "A swap asks for at least one coin.");
        var signatures = ImmutableArray.CreateBuilder<byte[]>(inputs.Length);
        for (int i = 0; i < inputs.Length; i++)
        {
            signatures.Add(r.Fixed(Ed25519PublicKey.SignatureLength, "spend_signature").ToArray());
        }

        return new SwapRequest(key, inputs, outputs, signatures.MoveToImmutable());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(IdempotencyKey.Value);
        w.List(Inputs, static (coin, w) => coin.Write(w));
        w.List(Outputs, static (item, w) => item.Write(w));
    }
}
