using System.Runtime.InteropServices;

namespace Wallet.Crypto.Rsa;

/// <summary>
/// An OpenSSL EVP_PKEY_CTX. The native free runs only when the last reference is released, so disposing a key while
/// another thread is inside a native call on one of its contexts waits for that call instead of freeing under it.
/// </summary>
internal sealed unsafe class SafeEvpPKeyContextHandle : SafeHandle
{
    public SafeEvpPKeyContextHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Creates a context on <paramref name="pkey"/>, initialised by <paramref name="init"/> for raw RSA.</summary>
    /// <returns>The context, or null if OpenSSL refused.</returns>
    public static SafeEvpPKeyContextHandle? Create(IntPtr pkey, delegate* unmanaged<IntPtr, int> init)
    {
        // EVP_PKEY_CTX_new takes its own reference on the EVP_PKEY, so the context stays valid on its own.
        var result = new SafeEvpPKeyContextHandle();
        IntPtr ctx = LibCrypto.EVP_PKEY_CTX_new(pkey, IntPtr.Zero);
        result.SetHandle(ctx);
        if (ctx == IntPtr.Zero || init(ctx) != 1 || LibCrypto.EVP_PKEY_CTX_set_rsa_padding(ctx, LibCrypto.RsaNoPadding) != 1)
        {
            LibCrypto.ERR_clear_error();
            result.Dispose();
            return null;
        }

        return result;
    }

    protected override bool ReleaseHandle()
    {
        LibCrypto.EVP_PKEY_CTX_free(handle);
        return true;
    }
}
