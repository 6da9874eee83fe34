namespace Wallet.Protocol.Wire;

/// <summary>
/// The codec of a message signed under one domain over its body (the version byte and every field before the
/// signature), the 64-byte Ed25519 signature last: a message type declares its domain, its body writer and its
/// reader; signing, checking and the encoding with the signature are shared.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
internal sealed class SignedMessageCodec<T>(
    string name,
    byte version,
    SignatureDomain domain,
    ProtocolCodec.Reader<T> readFields,
    Action<T, ProtocolWriter> writeBody)
    : MessageCodec<T>(name, version, readFields, (message, w) =>
    {
        writeBody(message, w);
        w.Fixed(message.SignatureBytes);
    })
    where T : SignedProtocolMessage<T>
{
    public SignatureDomain Domain => domain;

    /// <summary>Signs the body of <paramref name="unsigned"/> (a copy whose signature is still empty).</summary>
    public byte[] Sign(T unsigned, Ed25519SigningKey key) => key.Sign(domain, Body(unsigned));

    /// <summary>Whether <paramref name="key"/> signed this message's body; false for any bad signature.</summary>
    public bool Verify(T message, Ed25519PublicKey key) => key.Verify(domain, Body(message), message.SignatureBytes);

    private byte[] Body(T message) => ProtocolCodec.Encode(w =>
    {
        w.U8(VersionOf(message));
        writeBody(message, w);
    });
}
