using System.Runtime.InteropServices;

namespace Wallet.Crypto.Signing;

/// <summary>
/// The two libsodium calls WalletCore makes directly, in the libsodium that NSec.Cryptography ships and loads: the
/// full validity check of an Ed25519 point, and the public key of a seed without a key object. NSec wraps every key
/// in guarded memory (an mmap with guard pages and mlock per key), which is right for a key that lives, and most of
/// the cost of a key made only to read its public half: checking a 1,000-coin wallet against its seed spent 86 % of
/// its time there (docs/benchmarks.md, "Wallet load").
/// </summary>
internal static partial class Sodium
{
    private const string Library = "libsodium";

    static Sodium()
    {
        // NSec initialises libsodium in its own static constructor; this makes the order not matter. sodium_init is
        // idempotent and thread-safe: 0 on the first call, 1 after, -1 on failure.
        if (SodiumInit() < 0)
        {
            throw new InvalidOperationException("libsodium could not be initialised.");
        }
    }

    /// <summary>
    /// Whether 32 bytes are the canonical encoding of a point on the curve, of the prime-order subgroup and not of small
    /// order (libsodium <c>crypto_core_ed25519_is_valid_point</c>): the same acceptance as BouncyCastle's
    /// <c>Ed25519.ValidatePublicKeyFull</c>, which tests/Wallet.Crypto.Tests checks point by point.
    /// </summary>
    public static bool IsValidPoint(ReadOnlySpan<byte> point) =>
        point.Length == 32 && IsValidPointCore(point) == 1;

    /// <summary>Writes the Ed25519 public key of a 32-byte seed (RFC 8032 section 5.1.5), wiping the expanded secret.</summary>
    public static void PublicKeyFromSeed(ReadOnlySpan<byte> seed, Span<byte> publicKey)
    {
        if (seed.Length != 32 || publicKey.Length != 32)
        {
            throw new ArgumentException("An Ed25519 seed and public key are 32 bytes each.");
        }

        Span<byte> secret = stackalloc byte[64];
        try
        {
            if (SeedKeypair(publicKey, secret, seed) != 0)
            {
                throw new CryptographicException("libsodium could not derive the key.");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    [LibraryImport(Library, EntryPoint = "sodium_init")]
    private static partial int SodiumInit();

    [LibraryImport(Library, EntryPoint = "crypto_core_ed25519_is_valid_point")]
    private static partial int IsValidPointCore(ReadOnlySpan<byte> point);

    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_seed_keypair")]
    private static partial int SeedKeypair(Span<byte> publicKey, Span<byte> secretKey, ReadOnlySpan<byte> seed);
}
