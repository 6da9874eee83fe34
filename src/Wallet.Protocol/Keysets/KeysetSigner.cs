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
    /// answers SigningKeyUnavailable and keeps its debit. A batch of two or more messages is split into up to
    /// <paramref name="parallelism"/> contiguous parts signed at once, each on its own thread-pool thread: blind
    /// signing is a function of the blinded message, so the signatures are the ones one call would give, each at its
    /// message's index.
    /// </summary>
    /// <param name="signers">Each message's signer; a null one makes the answer null.</param>
    /// <param name="messages">The blinded messages.</param>
    /// <param name="cancellationToken">Cancels the signing.</param>
    /// <param name="parallelism">At most this many parts per batch; 1 signs each batch in one call.</param>
    /// <returns>The signatures by index, or null.</returns>
    public static async Task<BlindSignature[]?> TrySignAsync(IReadOnlyList<KeysetSigner?> signers, IReadOnlyList<BlindedMessage> messages, CancellationToken cancellationToken, int parallelism = 1)
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

                int parts = Math.Min(Math.Max(parallelism, 1), indexes.Count);
                if (parts == 1)
                {
                    var batch = indexes.Count == messages.Count ? messages : [.. indexes.Select(i => messages[i])];
                    Place(signer, await signer.Signer.BlindSignAsync(batch, cancellationToken).ConfigureAwait(false), indexes, signatures);
                    continue;
                }

                // Parts 1 and up go to the thread pool; the calling thread signs part 0 meanwhile rather than wait idle.
                var slices = new List<int>[parts];
                for (int part = 0; part < parts; part++)
                {
                    slices[part] = indexes.GetRange(indexes.Count * part / parts, (indexes.Count * (part + 1) / parts) - (indexes.Count * part / parts));
                }

                var others = new Task[parts - 1];
                for (int part = 1; part < parts; part++)
                {
                    var slice = slices[part];
                    others[part - 1] = Task.Run(
                        async () => Place(signer, await signer.Signer.BlindSignAsync([.. slice.Select(i => messages[i])], cancellationToken).ConfigureAwait(false), slice, signatures),
                        cancellationToken);
                }

                try
                {
                    Place(signer, await signer.Signer.BlindSignAsync([.. slices[0].Select(i => messages[i])], cancellationToken).ConfigureAwait(false), slices[0], signatures);
                }
                finally
                {
                    // Never return (or throw) while another part may still write into the array or fail unobserved.
                    await Task.WhenAll(others).ConfigureAwait(false);
                }
            }
        }
        catch (KeysetSignerUnavailableException)
        {
            return null;
        }

        return signatures;
    }

    // Each part writes its own indexes of the shared array, so parts signed at once never touch the same slot.
    private static void Place(KeysetSigner signer, IReadOnlyList<BlindSignature> signed, List<int> indexes, BlindSignature[] signatures)
    {
        if (signed.Count != indexes.Count)
        {
            throw new InvalidOperationException($"The signer of keyset {signer.Descriptor.Id} returned {signed.Count} signatures for {indexes.Count} messages.");
        }

        for (int j = 0; j < indexes.Count; j++)
        {
            signatures[indexes[j]] = signed[j];
        }
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
