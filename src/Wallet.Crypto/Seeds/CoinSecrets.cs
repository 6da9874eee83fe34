namespace Wallet.Crypto.Seeds;

/// <summary>
/// Everything one coin's blind RSA withdrawal needs, re-derivable from the wallet seed, the keyset id and the
/// coin counter: the coin's Ed25519 signing key, the RSA-PSS salt, the message prefix for the randomized RFC 9474
/// variants, and a per-coin key from which blinding factors are drawn.
/// </summary>
/// <remarks>
/// Created by <see cref="WalletSeed.DeriveCoin"/>; the derivation is specified in <c>docs/derivation.md</c>
/// (HKDF-SHA256, RFC 5869). The values are held in pinned memory and wiped by <see cref="Dispose"/>, which waits for
/// a <see cref="DeriveBlindingFactor"/> already running on another thread. The spans returned by
/// <see cref="PssSalt"/> and <see cref="MessagePrefix"/> read that memory directly: they are valid only until
/// <see cref="Dispose"/>, after which they read zeros, so copy them (or finish with them) before disposing.
/// </remarks>
public sealed class CoinSecrets : IDisposable
{
    /// <summary>Length of the Ed25519 key seed, in bytes.</summary>
    public const int SigningKeySeedLength = Ed25519SigningKey.SeedLength;

    /// <summary>Length of the RSA-PSS salt, in bytes (the salt length of RSABSSA-SHA384-PSS, RFC 9474 section 5).</summary>
    public const int PssSaltLength = 48;

    /// <summary>Length of the message prefix of the randomized RFC 9474 variants, in bytes (RFC 9474 section 4.1).</summary>
    public const int MessagePrefixLength = 32;

    /// <summary>Length of the per-coin key from which blinding factors are expanded, in bytes.</summary>
    internal const int BlindingKeyLength = 32;

    private const int SaltOffset = SigningKeySeedLength;
    private const int PrefixOffset = SaltOffset + PssSaltLength;
    private const int BlindingKeyOffset = PrefixOffset + MessagePrefixLength;
    private const int SecretLength = BlindingKeyOffset + BlindingKeyLength;

    private readonly byte[] _secret;
    private readonly byte[] _keysetId;
    private readonly byte[] _publicKey = new byte[Ed25519PublicKey.Length];
    private readonly Lock _signingKeyLock = new();
    private readonly SecretLifetime _lifetime = new();

    // Created on first use: blinding and unblinding a coin need only its public key, and a key in guarded memory (an
    // mmap with guard pages and mlock, then munmap) costs several times the whole derivation.
    private Ed25519SigningKey? _signingKey;

    internal CoinSecrets(ReadOnlySpan<byte> prk, ReadOnlySpan<byte> keysetId, ulong counter)
    {
        _keysetId = keysetId.ToArray();
        Counter = counter;
        _secret = GC.AllocateArray<byte>(SecretLength, pinned: true);
        Span<byte> secret = _secret;
        try
        {
            CoinDerivation.ExpandCoinValue(prk, CoinDerivation.SigningKeySeedLabel, keysetId, counter, secret[..SaltOffset]);
            CoinDerivation.ExpandCoinValue(prk, CoinDerivation.PssSaltLabel, keysetId, counter, secret[SaltOffset..PrefixOffset]);
            CoinDerivation.ExpandCoinValue(prk, CoinDerivation.MessagePrefixLabel, keysetId, counter, secret[PrefixOffset..BlindingKeyOffset]);
            CoinDerivation.ExpandCoinValue(prk, CoinDerivation.BlindingKeyLabel, keysetId, counter, secret[BlindingKeyOffset..]);
            Sodium.PublicKeyFromSeed(secret[..SaltOffset], _publicKey);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(secret);
            throw;
        }
    }

    /// <summary>The keyset the coin is withdrawn under (public data).</summary>
    public ReadOnlySpan<byte> KeysetId => _keysetId;

    /// <summary>The coin's counter within its keyset (public to the wallet, never sent to the scheme).</summary>
    public ulong Counter { get; }

    /// <summary>
    /// The coin's Ed25519 signing key; owned by this object and disposed with it. It is created on first use, so
    /// secrets used only to blind or unblind a coin never place a key in guarded memory.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The secrets have been disposed.</exception>
    public Ed25519SigningKey SigningKey
    {
        get
        {
            // The lease keeps Dispose from wiping the seed while the key is made from it, and from missing a key made
            // concurrently (it waits for us, then disposes what we made).
            _lifetime.Enter(this);
            try
            {
                lock (_signingKeyLock)
                {
                    return _signingKey ??= Ed25519SigningKey.FromSeed(SigningKeySeed);
                }
            }
            finally
            {
                _lifetime.Exit();
            }
        }
    }

    /// <summary>
    /// The coin's 32-byte Ed25519 public key (its coin id): the public half of <see cref="SigningKey"/>, derived with
    /// the other values and public, so reading it creates no key object.
    /// </summary>
    /// <remarks>The span reads this object's memory; it stays valid (the public key is not wiped on <see cref="Dispose"/>).</remarks>
    /// <exception cref="ObjectDisposedException">The secrets have been disposed.</exception>
    public ReadOnlySpan<byte> PublicKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_lifetime.IsDisposed, this);
            return _publicKey;
        }
    }

    /// <summary>The 48-byte RSA-PSS salt for the coin's blind signature encoding (RFC 9474 section 4.1, EMSA-PSS-ENCODE).</summary>
    /// <remarks>
    /// The span reads this object's memory and is valid only until <see cref="Dispose"/>: afterwards (also if another
    /// thread disposes while it is in use) it reads zeros. Do not keep it beyond the object's lifetime.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The secrets have been disposed.</exception>
    public ReadOnlySpan<byte> PssSalt
    {
        get
        {
            ObjectDisposedException.ThrowIf(_lifetime.IsDisposed, this);
            return _secret.AsSpan(SaltOffset, PssSaltLength);
        }
    }

    /// <summary>The 32-byte random message prefix used by the randomized RFC 9474 variants (section 4.1, Prepare).</summary>
    /// <remarks>
    /// The span reads this object's memory and is valid only until <see cref="Dispose"/>: afterwards (also if another
    /// thread disposes while it is in use) it reads zeros. Do not keep it beyond the object's lifetime.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The secrets have been disposed.</exception>
    public ReadOnlySpan<byte> MessagePrefix
    {
        get
        {
            ObjectDisposedException.ThrowIf(_lifetime.IsDisposed, this);
            return _secret.AsSpan(PrefixOffset, MessagePrefixLength);
        }
    }

    internal ReadOnlySpan<byte> SigningKeySeed => _secret.AsSpan(0, SigningKeySeedLength);

    internal ReadOnlySpan<byte> BlindingKey => _secret.AsSpan(BlindingKeyOffset, BlindingKeyLength);

    /// <summary>
    /// Derives candidate number <paramref name="attempt"/> for the blinding factor r: a value uniform in
    /// [1, n), written big-endian into <paramref name="destination"/>, which must be as long as
    /// <paramref name="modulus"/>.
    /// </summary>
    /// <param name="modulus">The RSA modulus n, big-endian; leading zero bytes are allowed and ignored.</param>
    /// <param name="context">
    /// 32 bytes naming what is being blinded: the signer's key, the variant and the public metadata
    /// (<c>docs/derivation.md</c> section 4). Blinding the same coin under two contexts with one r would let the signer
    /// link the two requests, so r depends on it.
    /// </param>
    /// <param name="attempt">
    /// Starts at 0. RFC 9474 section 4.2 (Blind) needs r invertible modulo n; when a candidate is not, the caller
    /// asks for the next attempt. The sequence is a pure function of the seed, keyset id, counter, n's length,
    /// the context and the attempt, so a restored wallet re-derives the same blinded message.
    /// </param>
    /// <param name="destination">Receives r; the caller wipes it after use.</param>
    /// <remarks>
    /// Each candidate is the first of up to 128 HKDF-Expand outputs of n's length whose excess top bits are masked
    /// and whose value lies in [1, n) (rejection sampling, so the result is uniform); see <c>docs/derivation.md</c>.
    /// For an RSA modulus a sample is rejected with probability below 1/2, so running out of samples happens with
    /// probability about 2^-128.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// <paramref name="modulus"/> is zero, one or longer than 8160 significant bytes, <paramref name="context"/> is not
    /// 32 bytes, or <paramref name="destination"/> is not as long as <paramref name="modulus"/>.
    /// </exception>
    /// <exception cref="ObjectDisposedException">The secrets have been disposed.</exception>
    /// <exception cref="CryptographicException">No sample fell in range (probability about 2^-128 for an RSA modulus).</exception>
    public void DeriveBlindingFactor(ReadOnlySpan<byte> modulus, ReadOnlySpan<byte> context, uint attempt, Span<byte> destination)
    {
        int leadingZeros = modulus.IndexOfAnyExcept((byte)0);
        if (leadingZeros < 0 || (leadingZeros == modulus.Length - 1 && modulus[^1] == 1))
        {
            throw new ArgumentException("The modulus must be at least 2.", nameof(modulus));
        }

        if (modulus.Length - leadingZeros > CoinDerivation.MaxModulusLength)
        {
            throw new ArgumentException($"The modulus may have at most {CoinDerivation.MaxModulusLength} significant bytes.", nameof(modulus));
        }

        if (context.Length != CoinDerivation.BlindingContextLength)
        {
            throw new ArgumentException($"The blinding context is {CoinDerivation.BlindingContextLength} bytes.", nameof(context));
        }

        if (destination.Length != modulus.Length)
        {
            throw new ArgumentException("The destination must be as long as the modulus.", nameof(destination));
        }

        // The lease keeps Dispose from wiping the blinding key while it is being expanded (it waits for us instead).
        _lifetime.Enter(this);
        try
        {
            CoinDerivation.DeriveBlindingFactor(BlindingKey, context, modulus, attempt, destination);
        }
        finally
        {
            _lifetime.Exit();
        }
    }

    /// <summary>
    /// Wipes the derived values and disposes the signing key. Safe to call from any thread: it waits for a
    /// <see cref="DeriveBlindingFactor"/> already running to finish (with a correct result), and every later call throws
    /// <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        if (_lifetime.BeginDispose())
        {
            CryptographicOperations.ZeroMemory(_secret);
            lock (_signingKeyLock)
            {
                _signingKey?.Dispose();
            }
        }
    }

    /// <summary>Names the coin by its counter only.</summary>
    /// <returns><c>CoinSecrets(counter=…)</c>.</returns>
    public override string ToString() => $"CoinSecrets(counter={Counter})";
}
