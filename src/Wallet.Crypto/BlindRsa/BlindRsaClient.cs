using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// The client's role: prepares and blinds a message, then unblinds and verifies the signer's answer. Thread-safe;
/// each blinding has its own <see cref="BlindingState"/>.
/// </summary>
/// <remarks>
/// RFC 9474 sections 4.1 (Prepare), 4.2 (Blind) and 4.4 (Finalize); for RSAPBSSA the same steps of
/// draft-irtf-cfrg-partially-blind-rsa with the metadata-derived public key. Randomness comes from the operating
/// system's CSPRNG.
/// </remarks>
public sealed class BlindRsaClient
{
    /// <summary>Creates a client for one variant and signer key.</summary>
    /// <param name="algorithm">The variant.</param>
    /// <param name="publicKey">The signer's public key (for RSAPBSSA, the master key).</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The key serves another scheme, or is a derived key.</exception>
    public BlindRsaClient(BlindRsaAlgorithm algorithm, BlindRsaPublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(publicKey);
        BlindRsaVerifier.CheckPair(algorithm, publicKey, nameof(publicKey));
        Algorithm = algorithm;
        PublicKey = publicKey;
    }

    /// <summary>The variant.</summary>
    public BlindRsaAlgorithm Algorithm { get; }

    /// <summary>The signer's public key.</summary>
    public BlindRsaPublicKey PublicKey { get; }

    /// <summary>Prepares a message: Randomized variants prepend 32 random bytes, Deterministic ones return it unchanged.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The prepared message, which is what is blinded, signed and verified.</returns>
    /// <remarks>RFC 9474 section 4.1.</remarks>
    public byte[] Prepare(ReadOnlySpan<byte> message)
    {
        if (!Algorithm.IsRandomized)
        {
            return message.ToArray();
        }

        Span<byte> prefix = stackalloc byte[BlindRsaAlgorithm.PrefixLength];
        RandomNumberGenerator.Fill(prefix);
        return PrepareCore(message, prefix);
    }

    /// <summary>Blinds a prepared message for an RSABSSA signer.</summary>
    /// <param name="preparedMessage">The output of <see cref="Prepare(ReadOnlySpan{byte})"/>.</param>
    /// <returns>The secret state; send its <see cref="BlindingState.BlindedMessage"/> to the signer and keep the rest.</returns>
    /// <exception cref="InvalidOperationException">The variant is RSAPBSSA, which needs metadata.</exception>
    /// <exception cref="BlindRsaException">The encoded message is not coprime with n, or blinding failed.</exception>
    /// <exception cref="ObjectDisposedException">The public key has been disposed.</exception>
    public BlindingState Blind(ReadOnlySpan<byte> preparedMessage)
    {
        if (Algorithm.Scheme != BlindRsaScheme.Rsabssa)
        {
            throw new InvalidOperationException("RSAPBSSA messages are blinded with their metadata.");
        }

        return BlindRandom(preparedMessage, default);
    }

    /// <summary>Blinds a prepared message for an RSAPBSSA signer under public metadata.</summary>
    /// <param name="preparedMessage">The output of <see cref="Prepare(ReadOnlySpan{byte})"/>.</param>
    /// <param name="metadata">The public metadata (<c>info</c>), which the signer sees.</param>
    /// <returns>The secret state; send its <see cref="BlindingState.BlindedMessage"/> to the signer and keep the rest.</returns>
    /// <exception cref="InvalidOperationException">The variant is RSABSSA, which has no metadata.</exception>
    /// <exception cref="ArgumentException">The metadata is longer than 4096 bytes.</exception>
    /// <exception cref="BlindRsaException">The encoded message is not coprime with n, or blinding failed.</exception>
    /// <exception cref="ObjectDisposedException">The public key has been disposed.</exception>
    public BlindingState Blind(ReadOnlySpan<byte> preparedMessage, ReadOnlySpan<byte> metadata)
    {
        if (Algorithm.Scheme != BlindRsaScheme.Rsapbssa)
        {
            throw new InvalidOperationException("RSABSSA messages have no metadata.");
        }

        return BlindRandom(preparedMessage, metadata);
    }

    /// <summary>
    /// Prepares and blinds <paramref name="message"/> with randomness derived from a wallet seed instead of the CSPRNG:
    /// the prefix, salt and blinding factor come from <paramref name="secrets"/>, so the same seed, keyset and counter
    /// always re-derive the same blinded message. This is what lets a wallet restored from its seed ask the scheme for
    /// the blind signatures it was issued.
    /// </summary>
    /// <param name="message">The message (for PB/1, the coin message built from the coin's public key).</param>
    /// <param name="secrets">The coin's derived secrets; not disposed.</param>
    /// <param name="metadata">The public metadata for RSAPBSSA; must be empty for RSABSSA.</param>
    /// <returns>The state; <see cref="BlindingState.ExportPreparedMessage"/> gives the prepared message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="secrets"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Metadata was given for an RSABSSA variant.</exception>
    /// <exception cref="BlindRsaException">The encoded message is not coprime with n.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="secrets"/> has been disposed.</exception>
    /// <remarks>The derivation is specified in docs/derivation.md: r is bound to the variant, the key and the metadata
    /// (so a coin blinded under two of them cannot be linked through r), drawn by rejection sampling, and a candidate
    /// without an inverse modulo n moves on to the next attempt number.</remarks>
    public BlindingState PrepareAndBlind(ReadOnlySpan<byte> message, CoinSecrets secrets, ReadOnlySpan<byte> metadata = default)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        if (Algorithm.Scheme == BlindRsaScheme.Rsabssa && !metadata.IsEmpty)
        {
            throw new ArgumentException("RSABSSA messages have no metadata.", nameof(metadata));
        }

        byte[] prepared = PrepareCore(message, Algorithm.IsRandomized ? secrets.MessagePrefix : default);
        ReadOnlySpan<byte> salt = secrets.PssSalt[..Algorithm.SaltLength];
        byte[] modulus = PublicKey.ExportModulus();
        byte[] context = BlindingContext.Compute(Algorithm, PublicKey, metadata);
        byte[] r = new byte[modulus.Length];
        try
        {
            for (uint attempt = 0; ; attempt++)
            {
                secrets.DeriveBlindingFactor(modulus, context, attempt, r);
                try
                {
                    return BlindCore(prepared, metadata, salt, RsaIntegers.FromBytes(r));
                }
                catch (BlindRsaException ex) when (ex.Error == BlindRsaError.BlindingInverseFailure && attempt < 64)
                {
                    // r shares a factor with n (negligible for a real key): the next attempt number gives a fresh candidate.
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(r);
            CryptographicOperations.ZeroMemory(prepared);
        }
    }

    /// <summary>Unblinds the signer's answer and verifies the result.</summary>
    /// <param name="state">The state returned by Blind; it is not disposed.</param>
    /// <param name="blindSignature">The signer's blind signature.</param>
    /// <returns>The signature over the prepared message (and metadata, for RSAPBSSA).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="state"/> was made by a client of another key or variant.</exception>
    /// <exception cref="BlindRsaException">The blind signature has the wrong length or does not yield a valid signature.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="state"/> has been disposed.</exception>
    /// <remarks>RFC 9474 section 4.4: a signature that does not verify is never returned.</remarks>
    public byte[] Finalize(BlindingState state, BlindSignature blindSignature)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(blindSignature);
        if (!ReferenceEquals(state.Algorithm, Algorithm) || !state.PublicKey.Equals(PublicKey))
        {
            throw new ArgumentException("The blinding state belongs to another key or variant.", nameof(state));
        }

        int k = PublicKey.ModulusLength;
        ReadOnlySpan<byte> inverse = state.Inverse;
        if (blindSignature.Length != k)
        {
            throw new BlindRsaException(BlindRsaError.InvalidLength);
        }

        if (!BlindRsaVerifier.IsBelowModulus(blindSignature.AsSpan(), PublicKey))
        {
            throw new BlindRsaException(BlindRsaError.OutOfRange);
        }

        var n = RsaIntegers.ToNet(PublicKey.Material.N);
        var s = RsaIntegers.NetFromBytes(blindSignature.AsSpan()) * RsaIntegers.NetFromBytes(inverse) % n;
        byte[] signature = new byte[k];
        RsaIntegers.ToBytes(s, signature);
        if (!BlindRsaVerifier.VerifyCore(Algorithm, PublicKey, state.PreparedMessage, signature, state.Metadata))
        {
            throw new BlindRsaException(BlindRsaError.InvalidSignature);
        }

        return signature;
    }

    /// <summary>Prepare with a given prefix (the replayable-randomness seam for test vectors and seed derivation).</summary>
    internal byte[] PrepareCore(ReadOnlySpan<byte> message, ReadOnlySpan<byte> prefix)
    {
        if (!Algorithm.IsRandomized)
        {
            return message.ToArray();
        }

        if (prefix.Length != BlindRsaAlgorithm.PrefixLength)
        {
            throw new ArgumentException($"The prefix is {BlindRsaAlgorithm.PrefixLength} bytes.", nameof(prefix));
        }

        var prepared = new byte[prefix.Length + message.Length];
        prefix.CopyTo(prepared);
        message.CopyTo(prepared.AsSpan(prefix.Length));
        return prepared;
    }

    /// <summary>Blind with given salt and blinding factor r (the replayable-randomness seam).</summary>
    internal BlindingState BlindCore(ReadOnlySpan<byte> preparedMessage, ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> salt, BigInteger r)
    {
        DerivedKeyCache.CheckMetadata(metadata);
        if (salt.Length != Algorithm.SaltLength)
        {
            throw new ArgumentException($"The salt is {Algorithm.SaltLength} bytes for {Algorithm.Name}.", nameof(salt));
        }

        var key = PublicKey;
        var n = RsaIntegers.ToNet(key.Material.N);
        int k = key.ModulusLength;
        int emBits = key.ModulusBits - 1;
        int emLength = (emBits + 7) / 8;

        // Step 1: EMSA-PSS-ENCODE; for RSAPBSSA over "msg" ‖ len(info) ‖ info ‖ msg.
        byte[]? framed = Algorithm.Scheme == BlindRsaScheme.Rsapbssa ? PartiallyBlindDerivation.FrameMessage(metadata, preparedMessage) : null;
        byte[] encoded = new byte[emLength];
        try
        {
            EmsaPss.Encode(framed ?? preparedMessage, salt, emBits, encoded);
        }
        catch (CryptographicException)
        {
            throw new BlindRsaException(BlindRsaError.EncodingError);
        }

        // Steps 2-3: m must be coprime with n, or the blinded message would reveal a factor of n.
        var m = RsaIntegers.NetFromBytes(encoded);
        if (!RsaIntegers.IsCoprime(m, n))
        {
            throw new BlindRsaException(BlindRsaError.MessageNotCoprime);
        }

        // Steps 4-5: r in [1, n) with an inverse. Steps 6-8: z = m * r^e mod n, with e the (derived, for RSAPBSSA)
        // public exponent.
        if (r.SignValue <= 0 || r.CompareTo(key.Material.N) >= 0)
        {
            throw new BlindRsaException(BlindRsaError.BlindingInverseFailure);
        }

        byte[] inverseBytes = new byte[k];
        byte[] blinded = new byte[k];
        Span<byte> rBytes = k <= 1024 ? stackalloc byte[k] : new byte[k];
        Span<byte> x = k <= 1024 ? stackalloc byte[k] : new byte[k];
        RsaIntegers.ToBytes(r, rBytes);
        var engine = key.EngineFor(metadata, out bool owned);
        try
        {
            if (!Invert(engine, rBytes, key.ModulusBytes, n, inverseBytes))
            {
                throw new BlindRsaException(BlindRsaError.BlindingInverseFailure);
            }

            engine.Public(rBytes, x);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rBytes);
            if (owned)
            {
                engine.Dispose();
            }
        }

        var z = m * RsaIntegers.NetFromBytes(x) % n;
        CryptographicOperations.ZeroMemory(x);
        CryptographicOperations.ZeroMemory(encoded);
        if (framed is not null)
        {
            CryptographicOperations.ZeroMemory(framed);
        }

        RsaIntegers.ToBytes(z, blinded);
        return new BlindingState(Algorithm, key, preparedMessage.ToArray(), metadata.ToArray(), inverseBytes, new BlindedMessage(blinded));
    }

    /// <summary>
    /// r^-1 mod n into <paramref name="inverse"/>: through OpenSSL's constant-time <c>BN_mod_inverse</c> when the key
    /// runs on the OpenSSL backend (several times faster than the managed extended Euclid, and r is secret), otherwise
    /// managed. False when r has no inverse.
    /// </summary>
    private static bool Invert(RsaEngine engine, ReadOnlySpan<byte> r, ReadOnlySpan<byte> modulus, System.Numerics.BigInteger n, Span<byte> inverse)
    {
        if (engine.Kind == RsaBackendKind.OpenSsl)
        {
            return LibCrypto.TryModInverse(r, modulus, inverse);
        }

        if (RsaIntegers.ModInverse(RsaIntegers.NetFromBytes(r), n) is not { } managed)
        {
            return false;
        }

        RsaIntegers.ToBytes(managed, inverse);
        return true;
    }

    private BlindingState BlindRandom(ReadOnlySpan<byte> preparedMessage, ReadOnlySpan<byte> metadata)
    {
        Span<byte> salt = stackalloc byte[Algorithm.SaltLength];
        RandomNumberGenerator.Fill(salt);
        // A non-invertible r (probability about 2^-1000) surfaces as BlindingInverseFailure, as RFC 9474 specifies.
        return BlindCore(preparedMessage, metadata, salt, RsaIntegers.RandomBelow(PublicKey.Material.N));
    }
}
