namespace Wallet.Protocol.Keysets;

/// <summary>
/// A keyset's descriptor with its attached signer (<see cref="IKeysetSigner"/>, wherever the key lives) and the
/// verifier of its announced public key; what the scheme's flows sign and verify with.
/// </summary>
internal sealed class KeysetSigner
{
    private readonly byte[] _modulus;

    public KeysetSigner(KeysetDescriptor descriptor, IKeysetSigner signer)
    {
        Descriptor = descriptor;
        Signer = signer;
        _modulus = signer.PublicKey.ExportModulus();
        Verifier = new BlindRsaVerifier(descriptor.Algorithm, signer.PublicKey);
    }

    public BlindRsaVerifier Verifier { get; }

    public KeysetDescriptor Descriptor { get; }

    public IKeysetSigner Signer { get; }

    // RFC 9474 section 4.3: the blinded message is an integer below n, encoded in exactly modulus_len bytes.
    public bool Fits(BlindedMessage message) =>
        message.Length == _modulus.Length && message.AsSpan().SequenceCompareTo(_modulus) < 0;

    /// <summary>
    /// Signs every message with its own keyset's signer, one batch per signer, in the messages' order; null when a
    /// signer is missing or cannot sign now (<see cref="KeysetSignerUnavailableException"/>), so a paid-for request
    /// answers SigningKeyUnavailable and keeps its debit.
    /// </summary>
    public static async Task<BlindSignature[]?> TrySignAsync(IReadOnlyList<KeysetSigner?> signers, IReadOnlyList<BlindedMessage> messages, CancellationToken cancellationToken)
    {
        var signatures = new BlindSignature[messages.Count];
        try
        {
            foreach (var (signer, indexes) in Batches(signers))
            {
                if (signer is null)
                {
                    return null;
                }

                var batch = indexes.Count == messages.Count ? messages : [.. indexes.Select(i => messages[i])];
                var signed = await signer.Signer.BlindSignAsync(batch, cancellationToken).ConfigureAwait(false);
                if (signed.Count != indexes.Count)
                {
                    throw new InvalidOperationException($"The signer of keyset {signer.Descriptor.Id} returned {signed.Count} signatures for {indexes.Count} messages.");
                }

                for (int j = 0; j < indexes.Count; j++)
                {
                    signatures[indexes[j]] = signed[j];
                }
            }
        }
        catch (KeysetSignerUnavailableException)
        {
            return null;
        }

        return signatures;
    }

    // The messages' indexes per signer, in first-seen order; a withdrawal of one keyset is one batch.
    private static List<(KeysetSigner? Signer, List<int> Indexes)> Batches(IReadOnlyList<KeysetSigner?> signers)
    {
        var batches = new List<(KeysetSigner? Signer, List<int> Indexes)>(1);
        for (int i = 0; i < signers.Count; i++)
        {
            int found = 0;
            while (found < batches.Count && !ReferenceEquals(batches[found].Signer, signers[i]))
            {
                found++;
            }

            if (found == batches.Count)
            {
                batches.Add((signers[i], new List<int>(signers.Count)));
            }

            batches[found].Indexes.Add(i);
        }

        return batches;
    }
}
