namespace Wallet.Protocol.Keysets;

/// <summary>A keyset's descriptor with its blind signer; the private key stays with the caller who owns it.</summary>
internal sealed class KeysetSigner
{
    private readonly BlindRsaSigner _signer;
    private readonly byte[] _modulus;
    private readonly byte[] _metadata;

    public KeysetSigner(KeysetDescriptor descriptor, BlindRsaPrivateKey key)
    {
        Descriptor = descriptor;
        _signer = new BlindRsaSigner(key);
        _modulus = key.PublicKey.ExportModulus();
        _metadata = descriptor.Metadata.ToArray();
        Verifier = new BlindRsaVerifier(descriptor.Algorithm, key.PublicKey);
    }

    public BlindRsaVerifier Verifier { get; }

    public KeysetDescriptor Descriptor { get; }

    // RFC 9474 section 4.3: the blinded message is an integer below n, encoded in exactly modulus_len bytes.
    public bool Fits(BlindedMessage message) =>
        message.Length == _modulus.Length && message.AsSpan().SequenceCompareTo(_modulus) < 0;

    public BlindSignature Sign(BlindedMessage message) =>
        Descriptor.Mode == BlindRsaScheme.Rsabssa ? _signer.BlindSign(message) : _signer.BlindSign(message, _metadata);
}
