namespace Wallet.Protocol.Keysets;

/// <summary>Signs in this process with a key its key store keeps alive; the key stays the store's.</summary>
internal sealed class InProcessKeysetSigner : IKeysetSigner
{
    private readonly BlindRsaSigner _signer;
    private readonly byte[]? _metadata;

    public InProcessKeysetSigner(KeysetDescriptor descriptor, BlindRsaPrivateKey key)
    {
        Keyset = descriptor.Id;
        _signer = new BlindRsaSigner(key);
        _metadata = descriptor.Mode == BlindRsaScheme.Rsapbssa ? descriptor.Metadata.ToArray() : null;
    }

    public KeysetId Keyset { get; }

    public BlindRsaPublicKey PublicKey => _signer.PrivateKey.PublicKey;

    // Completes synchronously: the withdrawal hot path pays no thread hop for a key in this process.
    public ValueTask<IReadOnlyList<BlindSignature>> BlindSignAsync(IReadOnlyList<BlindedMessage> blindedMessages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blindedMessages);
        if (blindedMessages.Count == 0)
        {
            throw new ArgumentException("At least one blinded message.", nameof(blindedMessages));
        }

        var signatures = new BlindSignature[blindedMessages.Count];
        for (int i = 0; i < signatures.Length; i++)
        {
            signatures[i] = _metadata is null ? _signer.BlindSign(blindedMessages[i]) : _signer.BlindSign(blindedMessages[i], _metadata);
        }

        return ValueTask.FromResult<IReadOnlyList<BlindSignature>>(signatures);
    }

    public override string ToString() => $"InProcessKeysetSigner({Keyset})";
}
