using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Keysets;

namespace Wallet.Protocol.Tests.Keysets;

/// <summary>
/// Signs in process, but can be switched off as a signing process dies (every call then throws
/// <see cref="KeysetSignerUnavailableException"/>), and counts the batches each keyset's signer was asked for.
/// </summary>
internal sealed class SwitchableSignerSource(IKeysetKeyStore keyStore) : IKeysetSignerSource
{
    private readonly InProcessKeysetSignerSource _inner = new(keyStore);

    public bool Down { get; set; }

    /// <summary>Runs once, when a signer is first asked to sign (while a withdrawal or swap signs, outside the gate).</summary>
    public Func<Task>? BeforeSign { get; set; }

    public List<(KeysetId Keyset, int Messages)> Batches { get; } = [];

    public async ValueTask<IKeysetSigner?> TryGetSignerAsync(KeysetDescriptor keyset, CancellationToken cancellationToken)
    {
        ThrowIfDown(keyset.Id);
        return await _inner.TryGetSignerAsync(keyset, cancellationToken) is { } signer ? new Switchable(this, signer) : null;
    }

    public async ValueTask<IKeysetSigner> GenerateAsync(BlindRsaScheme mode, int modulusBits, Func<byte[], KeysetDescriptor> describe, CancellationToken cancellationToken)
    {
        ThrowIfDown(null);
        return new Switchable(this, await _inner.GenerateAsync(mode, modulusBits, describe, cancellationToken));
    }

    private void ThrowIfDown(KeysetId? keyset)
    {
        if (Down)
        {
            throw new KeysetSignerUnavailableException(keyset, null, "switched off by the test.");
        }
    }

    private sealed class Switchable(SwitchableSignerSource source, IKeysetSigner inner) : IKeysetSigner
    {
        public KeysetId Keyset => inner.Keyset;

        public BlindRsaPublicKey PublicKey => inner.PublicKey;

        public async ValueTask<IReadOnlyList<BlindSignature>> BlindSignAsync(IReadOnlyList<BlindedMessage> blindedMessages, CancellationToken cancellationToken)
        {
            if (source.BeforeSign is { } before)
            {
                source.BeforeSign = null;
                await before();
            }

            source.ThrowIfDown(Keyset);
            lock (source.Batches)
            {
                // Parts of one batch are signed at once on several threads (KeysetSigner.TrySignAsync).
                source.Batches.Add((Keyset, blindedMessages.Count));
            }

            return await inner.BlindSignAsync(blindedMessages, cancellationToken);
        }
    }
}
