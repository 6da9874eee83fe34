using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Wallet.Benchmarks.Reference;

/// <summary>
/// What <c>openssl speed rsaN</c> measures, run in this process on the same key so it can be interleaved with our own
/// operations: PKCS#1 v1.5 signing and verification of a 36-byte digest through EVP_PKEY_sign / EVP_PKEY_verify.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed unsafe class OpenSslReference : IDisposable
{
    private const int RsaPkcs1Padding = 1;

    private readonly SafeEvpPKeyHandle _key;
    private readonly IntPtr _signContext;
    private readonly IntPtr _verifyContext;
    private readonly byte[] _digest = RandomNumberGenerator.GetBytes(36);
    private readonly byte[] _signature;

    public OpenSslReference(byte[] pkcs8)
    {
        using var rsa = new RSAOpenSsl();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        _key = rsa.DuplicateKeyHandle();
        _signContext = EVP_PKEY_CTX_new(_key.DangerousGetHandle(), IntPtr.Zero);
        _verifyContext = EVP_PKEY_CTX_new(_key.DangerousGetHandle(), IntPtr.Zero);
        if (EVP_PKEY_sign_init(_signContext) != 1 || EVP_PKEY_CTX_set_rsa_padding(_signContext, RsaPkcs1Padding) != 1 ||
            EVP_PKEY_verify_init(_verifyContext) != 1 || EVP_PKEY_CTX_set_rsa_padding(_verifyContext, RsaPkcs1Padding) != 1)
        {
            throw new CryptographicException("OpenSSL reference set-up failed.");
        }

        _signature = new byte[rsa.KeySize / 8];
        Sign();
    }

    public void Sign()
    {
        nuint length = (nuint)_signature.Length;
        fixed (byte* s = _signature)
        fixed (byte* d = _digest)
        {
            if (EVP_PKEY_sign(_signContext, s, &length, d, (nuint)_digest.Length) != 1)
            {
                throw new CryptographicException("EVP_PKEY_sign failed.");
            }
        }
    }

    public void Verify()
    {
        fixed (byte* s = _signature)
        fixed (byte* d = _digest)
        {
            if (EVP_PKEY_verify(_verifyContext, s, (nuint)_signature.Length, d, (nuint)_digest.Length) != 1)
            {
                throw new CryptographicException("EVP_PKEY_verify failed.");
            }
        }
    }

    public void Dispose()
    {
        EVP_PKEY_CTX_free(_signContext);
        EVP_PKEY_CTX_free(_verifyContext);
        _key.Dispose();
    }

    [DllImport("libcrypto.so.3")]
    private static extern IntPtr EVP_PKEY_CTX_new(IntPtr pkey, IntPtr engine);

    [DllImport("libcrypto.so.3")]
    private static extern void EVP_PKEY_CTX_free(IntPtr ctx);

    [DllImport("libcrypto.so.3")]
    private static extern int EVP_PKEY_sign_init(IntPtr ctx);

    [DllImport("libcrypto.so.3")]
    private static extern int EVP_PKEY_sign(IntPtr ctx, byte* sig, nuint* siglen, byte* tbs, nuint tbslen);

    [DllImport("libcrypto.so.3")]
    private static extern int EVP_PKEY_verify_init(IntPtr ctx);

    [DllImport("libcrypto.so.3")]
    private static extern int EVP_PKEY_verify(IntPtr ctx, byte* sig, nuint siglen, byte* tbs, nuint tbslen);

    [DllImport("libcrypto.so.3")]
    private static extern int EVP_PKEY_CTX_set_rsa_padding(IntPtr ctx, int pad);
}
