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
}
