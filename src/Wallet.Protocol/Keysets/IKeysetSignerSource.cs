namespace Wallet.Protocol.Keysets;

/// <summary>
/// Custody of the keysets' blind-signing keys as the scheme uses it: it generates a keyset's key where the key will
/// live, and hands back a signer for an announced keyset, never the key. <c>BenefitScheme</c> takes one (or an
/// <see cref="IKeysetKeyStore"/>, which <see cref="InProcessKeysetSignerSource"/> turns into one).
/// </summary>
/// <remarks>
/// docs/PROTOCOL.md 8.2 "HSM or signing process". Implementations: <see cref="InProcessKeysetSignerSource"/> (keys in
/// this process, loaded from a key store) and <c>Remote.SocketKeysetSignerSource</c> (keys in a separate signing
/// process reached over a Unix domain socket). An HSM would implement it over PKCS#11 the same way.
/// </remarks>
public interface IKeysetSignerSource
{
    /// <summary>Finds the signer of an announced keyset.</summary>
    /// <param name="keyset">The keyset's descriptor (its id names the key; in partially blind mode it is the metadata too).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The signer, or null when the custodian holds no key for the keyset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    /// <exception cref="KeysetKeyStoreException">The custodian holds a key for the keyset but cannot open it.</exception>
    /// <exception cref="KeysetSignerUnavailableException">The custodian cannot be reached.</exception>
    ValueTask<IKeysetSigner?> TryGetSignerAsync(KeysetDescriptor keyset, CancellationToken cancellationToken);

    /// <summary>
    /// Generates a fresh key where the custodian keeps its keys, files it under the keyset that
    /// <paramref name="describe"/> makes of its public key, and returns that keyset's signer.
    /// </summary>
    /// <param name="mode">The blind-RSA scheme of the key.</param>
    /// <param name="modulusBits">The RSA modulus size in bits.</param>
    /// <param name="describe">Turns the key's SubjectPublicKeyInfo into the keyset's descriptor (which must carry that key and mode).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new keyset's signer; the key is durable in custody when the task completes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="describe"/> is null.</exception>
    /// <exception cref="ArgumentException">The descriptor does not carry the generated key or its mode.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The mode or modulus size is not supported.</exception>
    /// <exception cref="KeysetSignerUnavailableException">The custodian cannot be reached, or lost the key before filing it.</exception>
    ValueTask<IKeysetSigner> GenerateAsync(BlindRsaScheme mode, int modulusBits, Func<byte[], KeysetDescriptor> describe, CancellationToken cancellationToken);
}
