using System.Runtime.InteropServices;

namespace Wallet.Crypto.Rsa;

/// <summary>
/// Entry points of the platform's OpenSSL 3 <c>libcrypto</c>, resolved at run time so that a machine without it
/// falls back to the managed backend instead of failing to load.
/// </summary>
/// <remarks>
/// The EVP_PKEY handles come from .NET's own <see cref="RSAOpenSsl"/>, so these calls must reach the very library
/// .NET loaded: the version reported by <see cref="SafeEvpPKeyHandle.OpenSslVersion"/> is compared with ours
/// before anything is called.
/// </remarks>
internal static unsafe class LibCrypto
{
    public const int RsaNoPadding = 3;

    /// <summary><c>BN_FLG_CONSTTIME</c>: OpenSSL takes its constant-time code paths for a number with this flag.</summary>
    private const int BnFlagConstantTime = 0x04;

    private static readonly string? s_loadError;

#pragma warning disable SA1306, SA1401 // function pointers are fields by nature
    internal static readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr> EVP_PKEY_CTX_new;
    internal static readonly delegate* unmanaged<IntPtr, void> EVP_PKEY_CTX_free;
    internal static readonly delegate* unmanaged<IntPtr, int> EVP_PKEY_sign_init;
    internal static readonly delegate* unmanaged<IntPtr, byte*, nuint*, byte*, nuint, int> EVP_PKEY_sign;
    internal static readonly delegate* unmanaged<IntPtr, int> EVP_PKEY_encrypt_init;
    internal static readonly delegate* unmanaged<IntPtr, byte*, nuint*, byte*, nuint, int> EVP_PKEY_encrypt;
    internal static readonly delegate* unmanaged<IntPtr, int, int> EVP_PKEY_CTX_set_rsa_padding;
    internal static readonly delegate* unmanaged<void> ERR_clear_error;
    internal static readonly delegate* unmanaged<IntPtr> BN_new;
    internal static readonly delegate* unmanaged<IntPtr, void> BN_clear_free;
    internal static readonly delegate* unmanaged<IntPtr, int, int, IntPtr, IntPtr, IntPtr, int> BN_generate_prime_ex;
    internal static readonly delegate* unmanaged<IntPtr, int> BN_num_bits;
    internal static readonly delegate* unmanaged<IntPtr, byte*, int> BN_bn2bin;
    internal static readonly delegate* unmanaged<IntPtr> BN_CTX_new;
    internal static readonly delegate* unmanaged<IntPtr, void> BN_CTX_free;
    internal static readonly delegate* unmanaged<byte*, int, IntPtr, IntPtr> BN_bin2bn;
    internal static readonly delegate* unmanaged<IntPtr, byte*, int, int> BN_bn2binpad;
    internal static readonly delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr> BN_mod_inverse;
    internal static readonly delegate* unmanaged<IntPtr, int, void> BN_set_flags;
#pragma warning restore SA1306, SA1401

    static LibCrypto()
    {
        try
        {
            if (!OperatingSystem.IsLinux() && !OperatingSystem.IsFreeBSD())
            {
                s_loadError = "the OpenSSL backend is used only where .NET itself uses OpenSSL (Linux)";
                return;
            }

            long runtimeVersion = SafeEvpPKeyHandle.OpenSslVersion;
            if (runtimeVersion < 0x30000000L)
            {
                s_loadError = $".NET uses OpenSSL 0x{runtimeVersion:x}, not OpenSSL 3";
                return;
            }

            // By soname through the system loader only (never the application directory), so that this is the very
            // libcrypto .NET's own shim already loaded; the version check below confirms it.
            if (!NativeLibrary.TryLoad("libcrypto.so.3", out IntPtr lib))
            {
                s_loadError = "libcrypto.so.3 could not be loaded";
                return;
            }

            // unsigned long OpenSSL_version_num(void): pointer-sized on every Linux ABI.
            var versionNum = (delegate* unmanaged<nuint>)NativeLibrary.GetExport(lib, "OpenSSL_version_num");
            ulong ours = versionNum();
            if ((long)ours != runtimeVersion)
            {
                s_loadError = $"libcrypto.so.3 is OpenSSL 0x{ours:x} but .NET uses 0x{runtimeVersion:x}";
                return;
            }

            EVP_PKEY_CTX_new = (delegate* unmanaged<IntPtr, IntPtr, IntPtr>)NativeLibrary.GetExport(lib, "EVP_PKEY_CTX_new");
            EVP_PKEY_CTX_free = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(lib, "EVP_PKEY_CTX_free");
            EVP_PKEY_sign_init = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(lib, "EVP_PKEY_sign_init");
            EVP_PKEY_sign = (delegate* unmanaged<IntPtr, byte*, nuint*, byte*, nuint, int>)NativeLibrary.GetExport(lib, "EVP_PKEY_sign");
            EVP_PKEY_encrypt_init = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(lib, "EVP_PKEY_encrypt_init");
            EVP_PKEY_encrypt = (delegate* unmanaged<IntPtr, byte*, nuint*, byte*, nuint, int>)NativeLibrary.GetExport(lib, "EVP_PKEY_encrypt");
            EVP_PKEY_CTX_set_rsa_padding = (delegate* unmanaged<IntPtr, int, int>)NativeLibrary.GetExport(lib, "EVP_PKEY_CTX_set_rsa_padding");
            ERR_clear_error = (delegate* unmanaged<void>)NativeLibrary.GetExport(lib, "ERR_clear_error");
            BN_new = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(lib, "BN_new");
            BN_clear_free = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(lib, "BN_clear_free");
            BN_generate_prime_ex = (delegate* unmanaged<IntPtr, int, int, IntPtr, IntPtr, IntPtr, int>)NativeLibrary.GetExport(lib, "BN_generate_prime_ex");
            BN_num_bits = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(lib, "BN_num_bits");
            BN_bn2bin = (delegate* unmanaged<IntPtr, byte*, int>)NativeLibrary.GetExport(lib, "BN_bn2bin");
            BN_CTX_new = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(lib, "BN_CTX_new");
            BN_CTX_free = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(lib, "BN_CTX_free");
            BN_bin2bn = (delegate* unmanaged<byte*, int, IntPtr, IntPtr>)NativeLibrary.GetExport(lib, "BN_bin2bn");
            BN_bn2binpad = (delegate* unmanaged<IntPtr, byte*, int, int>)NativeLibrary.GetExport(lib, "BN_bn2binpad");
            BN_mod_inverse = (delegate* unmanaged<IntPtr, IntPtr, IntPtr, IntPtr, IntPtr>)NativeLibrary.GetExport(lib, "BN_mod_inverse");
            BN_set_flags = (delegate* unmanaged<IntPtr, int, void>)NativeLibrary.GetExport(lib, "BN_set_flags");
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException or PlatformNotSupportedException or BadImageFormatException)
        {
            s_loadError = "libcrypto is missing an entry point: " + ex.Message;
        }
    }

    /// <summary>Whether every entry point resolved; <see cref="LoadError"/> says why not otherwise.</summary>
    public static bool IsLoaded => s_loadError is null;

    public static string? LoadError => s_loadError;

    /// <summary>Generates a safe prime p (with (p-1)/2 also prime) of exactly <paramref name="bits"/> bits.</summary>
    /// <exception cref="CryptographicException">OpenSSL failed.</exception>
    public static byte[] GenerateSafePrime(int bits)
    {
        IntPtr bn = BN_new();
        if (bn == IntPtr.Zero)
        {
            throw new CryptographicException("OpenSSL could not allocate a big number.");
        }

        try
        {
            if (BN_generate_prime_ex(bn, bits, 1, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero) != 1)
            {
                ERR_clear_error();
                throw new CryptographicException("OpenSSL safe-prime generation failed.");
            }

            var result = new byte[(BN_num_bits(bn) + 7) / 8];
            fixed (byte* p = result)
            {
                BN_bn2bin(bn, p);
            }

            return result;
        }
        finally
        {
            BN_clear_free(bn);
        }
    }
    /// <summary>
    /// Writes <paramref name="a"/>^-1 mod <paramref name="modulus"/> into <paramref name="inverse"/> (big-endian, left
    /// padded to its length) with <c>BN_mod_inverse</c> on OpenSSL's constant-time path, since a is a secret blinding
    /// factor. Every native number is cleared before it is freed.
    /// </summary>
    /// <param name="a">The number to invert, big-endian; secret.</param>
    /// <param name="modulus">The modulus, big-endian.</param>
    /// <param name="inverse">Receives the inverse; at least as long as the modulus.</param>
    /// <returns><see langword="false"/> when a has no inverse (shares a factor with the modulus); nothing is written then.</returns>
    /// <exception cref="CryptographicException">OpenSSL could not allocate or failed otherwise.</exception>
    public static bool TryModInverse(ReadOnlySpan<byte> a, ReadOnlySpan<byte> modulus, Span<byte> inverse)
    {
        IntPtr context = BN_CTX_new();
        IntPtr bigA = IntPtr.Zero, bigN = IntPtr.Zero, result = IntPtr.Zero;
        try
        {
            if (context == IntPtr.Zero)
            {
                throw new CryptographicException("OpenSSL could not allocate a big-number context.");
            }

            fixed (byte* pa = a)
            fixed (byte* pn = modulus)
            {
                bigA = BN_bin2bn(pa, a.Length, IntPtr.Zero);
                bigN = BN_bin2bn(pn, modulus.Length, IntPtr.Zero);
            }

            if (bigA == IntPtr.Zero || bigN == IntPtr.Zero)
            {
                throw new CryptographicException("OpenSSL could not allocate a big number.");
            }

            BN_set_flags(bigA, BnFlagConstantTime);
            result = BN_mod_inverse(IntPtr.Zero, bigA, bigN, context);
            if (result == IntPtr.Zero)
            {
                // BN_R_NO_INVERSE (or an allocation failure, which the caller then reports as no inverse too).
                ERR_clear_error();
                return false;
            }

            fixed (byte* po = inverse)
            {
                if (BN_bn2binpad(result, po, inverse.Length) != inverse.Length)
                {
                    throw new CryptographicException("OpenSSL could not encode the inverse.");
                }
            }

            return true;
        }
        finally
        {
            BN_clear_free(result);
            BN_clear_free(bigA);
            BN_clear_free(bigN);
            BN_CTX_free(context);
        }
    }
}
