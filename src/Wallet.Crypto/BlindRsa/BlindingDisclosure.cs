namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// Deliberate disclosure of a blinding: the client reveals the blinding factor r (with the PSS salt it already
/// holds) so that the signer can recompute the blinded message it once signed. This gives up blindness for that one
/// message on purpose — the signer then links the message to the blinded request it stored.
/// </summary>
/// <remarks>
/// RFC 9474 section 4.2 (Blind): blind_msg = m · r^e mod n with m = EMSA-PSS-ENCODE(msg, salt). Revealing r and the
/// salt makes the computation public. PB/1 uses it only to recover never-spent coins of a revoked keyset
/// (docs/PROTOCOL.md section 5.11).
/// </remarks>
public static class BlindingDisclosure
{
    /// <summary>Recovers the blinding factor r of a blinding state (r is the inverse of the stored inverse modulo n).</summary>
    /// <param name="state">The state; not disposed.</param>
    /// <returns>r, big-endian, as long as the modulus. The caller wipes it when done.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="state"/> has been disposed.</exception>
    public static byte[] ExportBlindingFactor(BlindingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var n = RsaIntegers.ToNet(state.PublicKey.Material.N);
        var inverse = RsaIntegers.NetFromBytes(state.Inverse);
        // The inverse was computed from an invertible r, so it is itself invertible.
        var r = RsaIntegers.ModInverse(inverse, n)!.Value;
        byte[] result = new byte[state.PublicKey.ModulusLength];
        RsaIntegers.ToBytes(r, result);
        return result;
    }

    /// <summary>Recomputes the blinded message of a prepared message from a disclosed salt and blinding factor.</summary>
    /// <param name="algorithm">The variant.</param>
    /// <param name="publicKey">The signer's public key (for RSAPBSSA, the master key).</param>
    /// <param name="preparedMessage">The prepared message.</param>
    /// <param name="metadata">The public metadata for RSAPBSSA; empty for RSABSSA.</param>
    /// <param name="salt">The PSS salt (the variant's salt length).</param>
    /// <param name="blindingFactor">r, big-endian, as long as the modulus.</param>
    /// <returns>The blinded message the client sent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="algorithm"/> or <paramref name="publicKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The key does not fit the variant, metadata was given for RSABSSA, or the salt or blinding factor has the wrong length.
    /// </exception>
    /// <exception cref="BlindRsaException">r is not in [1, n) with an inverse, or the message cannot be encoded.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="publicKey"/> has been disposed.</exception>
    public static BlindedMessage Reblind(BlindRsaAlgorithm algorithm, BlindRsaPublicKey publicKey, ReadOnlySpan<byte> preparedMessage, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> blindingFactor)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(publicKey);
        var client = new BlindRsaClient(algorithm, publicKey);
        if (algorithm.Scheme == BlindRsaScheme.Rsabssa && !metadata.IsEmpty)
        {
            throw new ArgumentException("RSABSSA messages have no metadata.", nameof(metadata));
        }

        if (salt.Length != algorithm.SaltLength)
        {
            throw new ArgumentException($"The salt is {algorithm.SaltLength} bytes for {algorithm.Name}.", nameof(salt));
        }

        if (blindingFactor.Length != publicKey.ModulusLength)
        {
            throw new ArgumentException("The blinding factor is as long as the modulus.", nameof(blindingFactor));
        }

        using var state = client.BlindCore(preparedMessage, metadata, salt, RsaIntegers.FromBytes(blindingFactor));
        return state.BlindedMessage;
    }
}
