namespace Wallet.Protocol.Wire;

/// <summary>
/// Base of the PB/1 messages signed with Ed25519 under one domain over their body (every field before the
/// signature, which comes last): the signature and its domain are kept here once.
/// </summary>
/// <typeparam name="TSelf">The message type itself.</typeparam>
public abstract class SignedProtocolMessage<TSelf> : ProtocolMessage<TSelf>
    where TSelf : SignedProtocolMessage<TSelf>
{
    private readonly byte[] _signature;

    /// <summary>Only PB/1 message types of this assembly derive from this base.</summary>
    /// <param name="signature">The 64-byte signature, or empty while the body is being signed.</param>
    private protected SignedProtocolMessage(byte[] signature) => _signature = signature;

    /// <summary>The signature domain this message type is signed under.</summary>
    public static SignatureDomain Domain => ((SignedMessageCodec<TSelf>)Format).Domain;

    /// <summary>The Ed25519 signature over the body.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>Called once from the message type's static initializer: registers its codec.</summary>
    /// <param name="name">The message's name in format errors.</param>
    /// <param name="version">The encoding version byte.</param>
    /// <param name="domain">The signature domain's name (version 1).</param>
    /// <param name="readFields">Reads the fields after the version byte, signature last.</param>
    /// <param name="writeBody">Writes the fields after the version byte and before the signature.</param>
    /// <returns>The codec, for the type's own static field.</returns>
    private protected static SignedMessageCodec<TSelf> RegisterSigned(
        string name, byte version, string domain, ProtocolCodec.Reader<TSelf> readFields, Action<TSelf, ProtocolWriter> writeBody) =>
        Register(new SignedMessageCodec<TSelf>(name, version, new SignatureDomain(domain, 1), readFields, writeBody));

    /// <summary>Whether <paramref name="key"/> signed this message's body; false for any bad signature.</summary>
    /// <param name="key">The signer's public key, already checked for null by the caller.</param>
    /// <returns>Whether the signature is valid.</returns>
    private protected bool IsSignedBy(Ed25519PublicKey key) => ((SignedMessageCodec<TSelf>)Format).Verify((TSelf)this, key);

    /// <summary>The signature bytes, for the codec that writes them last.</summary>
    internal byte[] SignatureBytes => _signature;
}
