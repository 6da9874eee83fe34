namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// The signer's role: blind-signs blinded messages and checks its own output before releasing it. Thread-safe; one
/// signer serves many threads. Does not own the key.
/// </summary>
/// <remarks>
/// RFC 9474 section 4.3 (BlindSign) and draft-irtf-cfrg-partially-blind-rsa BlindSign. The signer cannot learn the
/// message, so the same operation serves all four variants of its scheme.
/// </remarks>
public sealed class BlindRsaSigner
{
    private readonly byte[] _modulus;

    /// <summary>Creates a signer over <paramref name="privateKey"/>.</summary>
    /// <param name="privateKey">The signing key; the caller keeps ownership and disposes it after the signer's last use.</param>
    /// <exception cref="ArgumentNullException"><paramref name="privateKey"/> is <see langword="null"/>.</exception>
    public BlindRsaSigner(BlindRsaPrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        PrivateKey = privateKey;
        _modulus = privateKey.PublicKey.ExportModulus();
    }

    /// <summary>The signing key.</summary>
    public BlindRsaPrivateKey PrivateKey { get; }

    /// <summary>The length of blinded messages and blind signatures, in bytes.</summary>
    public int ModulusLength => _modulus.Length;

    /// <summary>Blind-signs an RSABSSA blinded message.</summary>
    /// <param name="blindedMessage">The client's blinded message.</param>
    /// <returns>The blind signature, after it verified against the public key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="blindedMessage"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The key is an RSAPBSSA key, which needs metadata.</exception>
    /// <exception cref="BlindRsaException">Wrong length, zero or not below n, or the self-check failed.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public BlindSignature BlindSign(BlindedMessage blindedMessage)
    {
        ArgumentNullException.ThrowIfNull(blindedMessage);
        RequireScheme(BlindRsaScheme.Rsabssa);
        var signature = new byte[ModulusLength];
        BlindSignCore(blindedMessage.AsSpan(), signature, default);
        return new BlindSignature(signature);
    }

    /// <summary>Blind-signs an RSAPBSSA blinded message under the key derived from <paramref name="metadata"/>.</summary>
    /// <param name="blindedMessage">The client's blinded message.</param>
    /// <param name="metadata">The public metadata (<c>info</c>) both sides agreed.</param>
    /// <returns>The blind signature, after it verified against the derived public key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="blindedMessage"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The key is an RSABSSA key, which has no metadata.</exception>
    /// <exception cref="ArgumentException">The metadata is longer than 4096 bytes.</exception>
    /// <exception cref="BlindRsaException">Wrong length, zero or not below n, or the self-check failed.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public BlindSignature BlindSign(BlindedMessage blindedMessage, ReadOnlySpan<byte> metadata)
    {
        ArgumentNullException.ThrowIfNull(blindedMessage);
        RequireScheme(BlindRsaScheme.Rsapbssa);
        var signature = new byte[ModulusLength];
        BlindSignCore(blindedMessage.AsSpan(), signature, metadata);
        return new BlindSignature(signature);
    }

    /// <summary>Blind-signs into a caller buffer, without allocating (RSABSSA; for RSAPBSSA pass the metadata).</summary>
    /// <param name="blindedMessage">The client's blinded message, <see cref="ModulusLength"/> bytes.</param>
    /// <param name="destination">Receives the blind signature; <see cref="ModulusLength"/> bytes.</param>
    /// <param name="metadata">The public metadata for RSAPBSSA keys; must be empty for RSABSSA keys.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length or overlaps the input, metadata was given to an RSABSSA key, or the metadata is longer than 4096 bytes.</exception>
    /// <exception cref="BlindRsaException">Wrong length, zero or not below n, or the self-check failed.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public void BlindSign(ReadOnlySpan<byte> blindedMessage, Span<byte> destination, ReadOnlySpan<byte> metadata = default)
    {
        if (destination.Length != ModulusLength)
        {
            throw new ArgumentException($"The destination must be {ModulusLength} bytes.", nameof(destination));
        }

        // The self-check compares the result with the input, so the two buffers must be distinct.
        if (destination.Overlaps(blindedMessage))
        {
            throw new ArgumentException("The destination must not overlap the blinded message.", nameof(destination));
        }

        if (PrivateKey.Scheme == BlindRsaScheme.Rsabssa && !metadata.IsEmpty)
        {
            throw new ArgumentException("RSABSSA keys take no metadata.", nameof(metadata));
        }

        BlindSignCore(blindedMessage, destination, metadata);
    }

    private void BlindSignCore(ReadOnlySpan<byte> blindedMessage, Span<byte> destination, ReadOnlySpan<byte> metadata)
    {
        DerivedKeyCache.CheckMetadata(metadata);

        // Step 1 and RSASP1's range check: exactly k bytes, 0 < m < n.
        if (blindedMessage.Length != ModulusLength)
        {
            throw new BlindRsaException(BlindRsaError.InvalidLength);
        }

        if (blindedMessage.SequenceCompareTo(_modulus) >= 0 || !blindedMessage.ContainsAnyExcept((byte)0))
        {
            throw new BlindRsaException(BlindRsaError.OutOfRange);
        }

        var engine = PrivateKey.EngineFor(metadata, out bool owned);
        Span<byte> check = ModulusLength <= 1024 ? stackalloc byte[ModulusLength] : new byte[ModulusLength];
        try
        {
            engine.Private(blindedMessage, destination);

            // Step 3: verify our own output so a computation fault never releases a value that leaks the key.
            engine.Public(destination, check);
            if (!CryptographicOperations.FixedTimeEquals(check, blindedMessage))
            {
                CryptographicOperations.ZeroMemory(destination);
                throw new BlindRsaException(BlindRsaError.SigningFailure);
            }
        }
        catch (CryptographicException ex) when (ex is not BlindRsaException)
        {
            CryptographicOperations.ZeroMemory(destination);
            throw new BlindRsaException(BlindRsaError.SigningFailure);
        }
        finally
        {
            if (owned)
            {
                engine.Dispose();
            }
        }
    }

    private void RequireScheme(BlindRsaScheme scheme)
    {
        if (PrivateKey.Scheme != scheme)
        {
            throw new InvalidOperationException(scheme == BlindRsaScheme.Rsabssa
                ? "This is an RSAPBSSA key: sign with metadata."
                : "This is an RSABSSA key: it takes no metadata.");
        }
    }
}
