namespace Wallet.Protocol.Wallets.State;

/// <summary>A keyset the wallet verified in the log, with its blinding client and next seed counter.</summary>
internal sealed class TrustedKeyset(KeysetDescriptor descriptor, BlindRsaPublicKey publicKey) : IDisposable
{
    private readonly byte[] _metadata = descriptor.Metadata.ToArray();

    public KeysetDescriptor Descriptor { get; } = descriptor;

    public BlindRsaClient Client { get; } = new(descriptor.Algorithm, publicKey);

    public ReadOnlySpan<byte> Metadata => _metadata;

    public ulong NextCounter { get; set; }

    public void Dispose() => publicKey.Dispose();
}
