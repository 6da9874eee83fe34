namespace Wallet.Protocol.Keysets;

/// <summary>
/// Signs in this process with the keys of an <see cref="IKeysetKeyStore"/>: every signer wraps the store's key object,
/// and a generated key is created here and put into the store. What <c>BenefitScheme</c> uses over a key store, and
/// what a separate signing process (samples/Scheme.Signer) uses over its sealed keys.
/// </summary>
/// <remarks>docs/PROTOCOL.md 8.2. The store keeps owning its keys; this source owns nothing.</remarks>
public sealed class InProcessKeysetSignerSource : IKeysetSignerSource
{
    /// <summary>Creates the source over a key store.</summary>
    /// <param name="keyStore">The key store; not owned.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyStore"/> is null.</exception>
    public InProcessKeysetSignerSource(IKeysetKeyStore keyStore)
    {
        ArgumentNullException.ThrowIfNull(keyStore);
        KeyStore = keyStore;
    }

    /// <summary>The key store the keys come from.</summary>
    public IKeysetKeyStore KeyStore { get; }

    /// <inheritdoc/>
    public async ValueTask<IKeysetSigner?> TryGetSignerAsync(KeysetDescriptor keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        var key = await KeyStore.TryLoadAsync(keyset.Id, cancellationToken).ConfigureAwait(false);
        return key is null ? null : new InProcessKeysetSigner(keyset, key);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The key is generated exportable only so the store can take it into custody; the signer signs with the store's
    /// copy, and this one is disposed once stored.
    /// </remarks>
    public async ValueTask<IKeysetSigner> GenerateAsync(BlindRsaScheme mode, int modulusBits, Func<byte[], KeysetDescriptor> describe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(describe);
        if (mode is not (BlindRsaScheme.Rsabssa or BlindRsaScheme.Rsapbssa))
        {
            throw new ArgumentOutOfRangeException(nameof(mode));
        }

        using var key = BlindRsaPrivateKey.Generate(modulusBits, mode, exportable: true);
        byte[] publicKey = key.PublicKey.ExportSubjectPublicKeyInfo();
        var descriptor = describe(publicKey) ?? throw new ArgumentException("The descriptor is null.", nameof(describe));
        if (!descriptor.PublicKey.SequenceEqual(publicKey) || descriptor.Mode != mode)
        {
            throw new ArgumentException("The descriptor does not carry the generated key and its mode.", nameof(describe));
        }

        await KeyStore.PutAsync(descriptor.Id, key, cancellationToken).ConfigureAwait(false);
        return await TryGetSignerAsync(descriptor, cancellationToken).ConfigureAwait(false)
            ?? throw new KeysetKeyStoreException(descriptor.Id, "the key store did not keep the key it was given.");
    }

    /// <summary>Names the key store only.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"InProcessKeysetSignerSource({KeyStore})";
}
