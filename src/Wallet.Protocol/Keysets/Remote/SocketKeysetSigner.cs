namespace Wallet.Protocol.Keysets.Remote;

/// <summary>A keyset's signer in a signing process: each batch is one Sign request over the source's connections.</summary>
internal sealed class SocketKeysetSigner(SocketKeysetSignerSource source, KeysetDescriptor descriptor, BlindRsaPublicKey publicKey) : IKeysetSigner
{
    public KeysetId Keyset => descriptor.Id;

    public BlindRsaPublicKey PublicKey => publicKey;

    public async ValueTask<IReadOnlyList<BlindSignature>> BlindSignAsync(IReadOnlyList<BlindedMessage> blindedMessages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blindedMessages);
        if (blindedMessages.Count is 0 or > KeysetSignerProtocol.MaxBatch)
        {
            throw new ArgumentException($"1 to {KeysetSignerProtocol.MaxBatch} blinded messages.", nameof(blindedMessages));
        }

        foreach (var message in blindedMessages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(blindedMessages));
        }

        byte[] response = await source.ExchangeAsync(KeysetSignerProtocol.EncodeSign(descriptor, blindedMessages), descriptor.Id, cancellationToken).ConfigureAwait(false);
        // No error status is expected: every refusal is unavailability, so Read returns the signatures or throws.
        return SocketKeysetSignerSource.Read(response, descriptor.Id, (ref ProtocolReader r) => KeysetSignerProtocol.ReadSignatures(ref r, blindedMessages.Count, publicKey.ModulusLength))!;
    }

    public override string ToString() => $"SocketKeysetSigner({Keyset}, {source.SocketPath})";
}
