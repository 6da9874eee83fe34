namespace Wallet.Protocol.Withdrawals;

/// <summary>One coin asked for in a withdrawal: the keyset and the blinded coin message.</summary>
public sealed class WithdrawalItem
{
    /// <summary>Largest blinded message (RSA-8192).</summary>
    public const int MaxBlindedLength = 1024;

    /// <summary>Creates an item.</summary>
    /// <param name="keyset">The keyset id.</param>
    /// <param name="blindedMessage">The blinded message.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The blinded message is longer than 1024 bytes.</exception>
    public WithdrawalItem(KeysetId keyset, BlindedMessage blindedMessage)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ArgumentNullException.ThrowIfNull(blindedMessage);
        if (blindedMessage.Length > MaxBlindedLength)
        {
            throw new ArgumentException("The blinded message has at most 1024 bytes.", nameof(blindedMessage));
        }

        Keyset = keyset;
        BlindedMessage = blindedMessage;
    }

    /// <summary>The keyset id.</summary>
    public KeysetId Keyset { get; }

    /// <summary>The blinded coin message.</summary>
    public BlindedMessage BlindedMessage { get; }

    internal void Write(ProtocolWriter w)
    {
        w.Fixed(Keyset.Bytes);
        w.Opaque16(BlindedMessage.AsSpan());
    }

    internal static WithdrawalItem Read(ref ProtocolReader r)
    {
        var keyset = r.Keyset("keyset_id");
        return new WithdrawalItem(keyset, BlindedMessage.FromBytes(r.Opaque16("blinded_message", 1, MaxBlindedLength)));
    }
}
