namespace Wallet.Protocol.Withdrawals;

/// <summary>The scheme's answer to an honoured withdrawal: the receipt and one blind signature per item, in order. Stored for replay and restore.</summary>
public sealed class WithdrawalResponse : ProtocolMessage<WithdrawalResponse>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly MessageCodec<WithdrawalResponse> Codec = Register(new MessageCodec<WithdrawalResponse>("withdrawal response", Version, ReadFields, static (m, w) => m.WriteFields(w)));

    /// <summary>Pairs a receipt with its blind signatures.</summary>
    /// <param name="receipt">The receipt.</param>
    /// <param name="blindSignatures">The blind signatures, in item order.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The signature count differs from the receipt's coin count.</exception>
    public WithdrawalResponse(WithdrawalReceipt receipt, IReadOnlyList<BlindSignature> blindSignatures)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(blindSignatures);
        if (blindSignatures.Count != receipt.CoinCount)
        {
            throw new ArgumentException("One blind signature per coin.", nameof(blindSignatures));
        }

        Receipt = receipt;
        BlindSignatures = [.. blindSignatures];
    }

    /// <summary>The withdrawal receipt.</summary>
    public WithdrawalReceipt Receipt { get; }

    /// <summary>The blind signatures.</summary>
    public ImmutableArray<BlindSignature> BlindSignatures { get; }

    private void WriteFields(ProtocolWriter w)
    {
        Receipt.Write(w);
        w.List(BlindSignatures, static (s, w) => w.Opaque16(s.AsSpan()));
    }

    private static WithdrawalResponse ReadFields(ref ProtocolReader r)
    {
        var receipt = WithdrawalReceipt.Read(ref r);
        return new WithdrawalResponse(receipt, r.List("blind_signatures", WithdrawalRequest.MaxItems, ReadBlindSignature));
    }

    /// <summary>One blind signature as PB/1 carries it: a u16 length and the bytes.</summary>
    internal static BlindSignature ReadBlindSignature(ref ProtocolReader r) =>
        BlindSignature.FromBytes(r.Opaque16("blind_signature", 1, WithdrawalItem.MaxBlindedLength));
}
