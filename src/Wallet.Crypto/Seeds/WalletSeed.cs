namespace Wallet.Crypto.Seeds;

/// <summary>
/// The wallet's 32-byte root secret. Every coin's keys and blinding values are derived from it (see
/// <see cref="DeriveCoin"/>), so a wallet can be restored from the seed alone (PB/1 flow 7, Restore).
/// </summary>
/// <remarks>
/// The seed and the HKDF pseudorandom key derived from it live in pinned memory and are wiped by
/// <see cref="Dispose"/>; <see cref="ToString"/> never shows them. The derivation and the backup code are
/// specified in <c>docs/derivation.md</c>.
/// </remarks>
public sealed class WalletSeed : IDisposable
{
    /// <summary>Length of a seed, in bytes.</summary>
    public const int Length = 32;

    private readonly byte[] _seed;
    private readonly byte[] _prk;
    private readonly SecretLifetime _lifetime = new();

    private WalletSeed(ReadOnlySpan<byte> seed)
    {
        _seed = GC.AllocateArray<byte>(Length, pinned: true);
        _prk = GC.AllocateArray<byte>(CoinDerivation.PrkLength, pinned: true);
        seed.CopyTo(_seed);
        CoinDerivation.Extract(_seed, _prk);
    }

    /// <summary>Generates a seed from the operating system's CSPRNG.</summary>
    /// <returns>A new seed.</returns>
    public static WalletSeed Generate()
    {
        Span<byte> seed = stackalloc byte[Length];
        try
        {
            RandomNumberGenerator.Fill(seed);
            return new WalletSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Creates a seed from its 32 bytes (for example read from a sealed wallet file).</summary>
    /// <param name="seed">The 32 bytes; they are copied, and the caller remains responsible for wiping its copy.</param>
    /// <returns>The seed.</returns>
    /// <exception cref="ArgumentException"><paramref name="seed"/> is not 32 bytes.</exception>
    public static WalletSeed FromBytes(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != Length)
        {
            throw new ArgumentException($"A wallet seed is {Length} bytes.", nameof(seed));
        }

        return new WalletSeed(seed);
    }

    /// <summary>Reads a seed from its backup code.</summary>
    /// <param name="code">
    /// The code as typed: case does not matter, spaces, line breaks and hyphens are ignored, and the look-alikes
    /// O, I and L are read as 0, 1 and 1.
    /// </param>
    /// <returns>The seed.</returns>
    /// <remarks>
    /// Any one or two mistyped characters, any swap of two adjacent characters and any error within three consecutive
    /// characters is detected; other errors pass with probability about 2^-20 (docs/derivation.md, "Backup code", gives
    /// the argument). Codes of the pre-release format version 0 are rejected as <see cref="SeedFormatError.UnsupportedVersion"/>.
    /// </remarks>
    /// <exception cref="SeedFormatException">The code is malformed; <see cref="SeedFormatException.Error"/> says how.</exception>
    public static WalletSeed ParseBackupCode(ReadOnlySpan<char> code) =>
        TryParseBackupCode(code, out var seed, out var error, out int position) ? seed : throw new SeedFormatException(error, position);

    /// <summary>Reads a seed from its backup code, reporting what is wrong instead of throwing.</summary>
    /// <param name="code">The code as typed (see <see cref="ParseBackupCode"/>).</param>
    /// <param name="seed">The seed, when the method returns <see langword="true"/>.</param>
    /// <param name="error">What is wrong, or <see cref="SeedFormatError.None"/>.</param>
    /// <returns>Whether the code was valid.</returns>
    public static bool TryParseBackupCode(ReadOnlySpan<char> code, [NotNullWhen(true)] out WalletSeed? seed, out SeedFormatError error) =>
        TryParseBackupCode(code, out seed, out error, out _);

    /// <summary>Returns the backup code: 56 Crockford base32 characters in groups of four, such as <c>000G-40R4-…-KE5G</c>.</summary>
    /// <returns>The code. It is the secret in another form: show it to the user once and do not store or log it.</returns>
    /// <exception cref="ObjectDisposedException">The seed has been disposed.</exception>
    public string ToBackupCode()
    {
        _lifetime.Enter(this);
        try
        {
            return BackupCode.Encode(_seed);
        }
        finally
        {
            _lifetime.Exit();
        }
    }

    /// <summary>Copies the 32 seed bytes into <paramref name="destination"/>, for example to seal them in a wallet file.</summary>
    /// <param name="destination">A 32-byte buffer; the caller wipes it after use.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not 32 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The seed has been disposed.</exception>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length != Length)
        {
            throw new ArgumentException($"A wallet seed is {Length} bytes.", nameof(destination));
        }

        _lifetime.Enter(this);
        try
        {
            _seed.CopyTo(destination);
        }
        finally
        {
            _lifetime.Exit();
        }
    }

    /// <summary>Compares two seeds in constant time.</summary>
    /// <param name="other">The other seed.</param>
    /// <returns>Whether both hold the same 32 bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">Either seed has been disposed.</exception>
    public bool SecretEquals(WalletSeed other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _lifetime.Enter(this);
        try
        {
            other._lifetime.Enter(other);
            try
            {
                return CryptographicOperations.FixedTimeEquals(_seed, other._seed);
            }
            finally
            {
                other._lifetime.Exit();
            }
        }
        finally
        {
            _lifetime.Exit();
        }
    }

    /// <summary>
    /// Derives only the public key (the coin id) of coin number <paramref name="counter"/> under keyset
    /// <paramref name="keysetId"/>: the public half of <see cref="CoinSecrets.SigningKey"/> of
    /// <see cref="DeriveCoin"/>, without creating any key object.
    /// </summary>
    /// <remarks>
    /// For checking coins against the seed, as a wallet does when it loads its file: one HKDF-Expand and one Ed25519
    /// key derivation in stack memory, wiped at once, where <see cref="DeriveCoin"/> expands four values and places the
    /// key in guarded memory (about ten times the cost).
    /// </remarks>
    /// <param name="keysetId">The keyset's identifier, 1 to 65535 bytes.</param>
    /// <param name="counter">The coin's index.</param>
    /// <returns>The coin's 32-byte Ed25519 public key.</returns>
    /// <exception cref="ArgumentException"><paramref name="keysetId"/> is empty or longer than 65535 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The seed has been disposed.</exception>
    public byte[] DeriveCoinId(ReadOnlySpan<byte> keysetId, ulong counter)
    {
        if (keysetId.Length is 0 or > CoinDerivation.MaxKeysetIdLength)
        {
            throw new ArgumentException($"A keyset id has 1 to {CoinDerivation.MaxKeysetIdLength} bytes.", nameof(keysetId));
        }

        var publicKey = new byte[Ed25519PublicKey.Length];
        Span<byte> keySeed = stackalloc byte[CoinSecrets.SigningKeySeedLength];
        _lifetime.Enter(this);
        try
        {
            CoinDerivation.ExpandCoinValue(_prk, CoinDerivation.SigningKeySeedLabel, keysetId, counter, keySeed);
            Sodium.PublicKeyFromSeed(keySeed, publicKey);
            return publicKey;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keySeed);
            _lifetime.Exit();
        }
    }

    /// <summary>
    /// Derives the secrets of coin number <paramref name="counter"/> under keyset <paramref name="keysetId"/>.
    /// </summary>
    /// <param name="keysetId">The keyset's identifier, 1 to 65535 bytes (typically a 32-byte hash).</param>
    /// <param name="counter">The coin's index; the wallet never reuses a (keyset, counter) pair for two withdrawals.</param>
    /// <returns>The coin's secrets; the caller disposes them.</returns>
    /// <remarks>
    /// HKDF-SHA256 (RFC 5869) through <see cref="HKDF"/>: PRK = HKDF-Extract("WalletCore/PB1/seed/v1", seed), then
    /// one HKDF-Expand per value with the info <c>u8(len(label)) ‖ label ‖ u16be(len(keysetId)) ‖ keysetId ‖
    /// u64be(counter)</c>. docs/derivation.md is the normative description, with test vectors.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="keysetId"/> is empty or longer than 65535 bytes.</exception>
    /// <exception cref="ObjectDisposedException">The seed has been disposed.</exception>
    public CoinSecrets DeriveCoin(ReadOnlySpan<byte> keysetId, ulong counter)
    {
        if (keysetId.Length is 0 or > CoinDerivation.MaxKeysetIdLength)
        {
            throw new ArgumentException($"A keyset id has 1 to {CoinDerivation.MaxKeysetIdLength} bytes.", nameof(keysetId));
        }

        // The lease keeps Dispose from wiping the PRK between the four expansions (it waits for us instead).
        _lifetime.Enter(this);
        try
        {
            return new CoinSecrets(_prk, keysetId, counter);
        }
        finally
        {
            _lifetime.Exit();
        }
    }

    /// <summary>
    /// Wipes the seed and everything derived from it that this object holds. Safe to call from any thread: it waits
    /// for derivations already running to finish (they return correct results), and every later call throws
    /// <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        if (_lifetime.BeginDispose())
        {
            CryptographicOperations.ZeroMemory(_seed);
            CryptographicOperations.ZeroMemory(_prk);
        }
    }

    /// <summary>Describes the object without revealing the seed.</summary>
    /// <returns><c>WalletSeed(32 bytes)</c>, or <c>WalletSeed(disposed)</c>.</returns>
    public override string ToString() => _lifetime.IsDisposed ? "WalletSeed(disposed)" : "WalletSeed(32 bytes)";

    private static bool TryParseBackupCode(ReadOnlySpan<char> code, [NotNullWhen(true)] out WalletSeed? seed, out SeedFormatError error, out int position)
    {
        Span<byte> bytes = stackalloc byte[Length];
        try
        {
            error = BackupCode.TryDecode(code, bytes, out position);
            seed = error == SeedFormatError.None ? new WalletSeed(bytes) : null;
            return seed is not null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
