using System.Collections.Concurrent;

namespace Wallet.Crypto.Rsa;

/// <summary>
/// The OpenSSL backend: raw RSA through <c>EVP_PKEY_sign</c> (RSASP1) and <c>EVP_PKEY_encrypt</c> (RSAEP/RSAVP1)
/// with <c>RSA_NO_PADDING</c> on the EVP_PKEY that .NET's <see cref="RSAOpenSsl"/> built from the key.
/// </summary>
/// <remarks>
/// An EVP_PKEY_CTX may not be shared between threads (the EVP_PKEY may), so initialised contexts are rented from a
/// small pool for the duration of one call: the hot path is one native call without allocation. Contexts are
/// <see cref="System.Runtime.InteropServices.SafeHandle"/>s referenced around each call, so <see cref="RsaEngine.Dispose()"/> racing with a call
/// defers the native free until the call returns, and contexts of an engine that is never disposed are freed by their
/// finalizers. OpenSSL's RSA private operation uses CRT with base blinding and re-checks the CRT result itself.
/// </remarks>
internal sealed unsafe class OpenSslRsaEngine : RsaEngine
{
    private static readonly int PoolLimit = Math.Max(4, Environment.ProcessorCount * 2);

    private readonly SafeEvpPKeyHandle _pkey;
    private readonly ConcurrentBag<SafeEvpPKeyContextHandle> _signContexts = [];
    private readonly ConcurrentBag<SafeEvpPKeyContextHandle> _publicContexts = [];

    private OpenSslRsaEngine(RsaKeyMaterial key, SafeEvpPKeyHandle pkey)
        : base(key)
    {
        _pkey = pkey;
    }

    public override RsaBackendKind Kind => RsaBackendKind.OpenSsl;

    /// <summary>Builds the engine, or returns null (with the reason) if OpenSSL refuses the key.</summary>
    public static OpenSslRsaEngine? TryCreate(RsaKeyMaterial key, out string? failure)
    {
        failure = LibCrypto.LoadError;
        if (!LibCrypto.IsLoaded || OperatingSystem.IsWindows() || OperatingSystem.IsMacOS())
        {
            return null;
        }

        RSAParameters parameters = key.ToParameters(key.HasPrivate);
        try
        {
            using var rsa = new RSAOpenSsl();
            rsa.ImportParameters(parameters);
            return new OpenSslRsaEngine(key, rsa.DuplicateKeyHandle());
        }
        catch (CryptographicException ex)
        {
            failure = "OpenSSL refused the key: " + ex.Message;
            return null;
        }
        finally
        {
            RsaKeyMaterial.Wipe(parameters);
        }
    }

    public override void Public(ReadOnlySpan<byte> input, Span<byte> output) =>
        Run(_publicContexts, LibCrypto.EVP_PKEY_encrypt_init, LibCrypto.EVP_PKEY_encrypt, input, output);

    public override void Private(ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckPrivate();
        Run(_signContexts, LibCrypto.EVP_PKEY_sign_init, LibCrypto.EVP_PKEY_sign, input, output);
    }

    protected override void Dispose(bool disposing)
    {
        Drain(_signContexts);
        Drain(_publicContexts);
        _pkey.Dispose();
    }

    private static void Drain(ConcurrentBag<SafeEvpPKeyContextHandle> pool)
    {
        while (pool.TryTake(out var context))
        {
            context.Dispose();
        }
    }

    private void Run(
        ConcurrentBag<SafeEvpPKeyContextHandle> pool,
        delegate* unmanaged<IntPtr, int> init,
        delegate* unmanaged<IntPtr, byte*, nuint*, byte*, nuint, int> operation,
        ReadOnlySpan<byte> input,
        Span<byte> output)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var context = pool.TryTake(out var pooled) ? pooled : NewContext(init);
        bool added = false;
        try
        {
            // Throws ObjectDisposedException if Dispose already released the context.
            context.DangerousAddRef(ref added);
            nuint written = (nuint)output.Length;
            int result;
            fixed (byte* i = input)
            fixed (byte* o = output)
            {
                result = operation(context.DangerousGetHandle(), o, &written, i, (nuint)input.Length);
            }

            if (result != 1 || written != (nuint)output.Length)
            {
                LibCrypto.ERR_clear_error();
                throw new CryptographicException("OpenSSL raw RSA operation failed.");
            }
        }
        finally
        {
            if (added)
            {
                context.DangerousRelease();
            }

            Return(pool, context);
        }
    }

    private void Return(ConcurrentBag<SafeEvpPKeyContextHandle> pool, SafeEvpPKeyContextHandle context)
    {
        if (IsDisposed || pool.Count >= PoolLimit)
        {
            context.Dispose();
            return;
        }

        pool.Add(context);

        // Dispose may have drained the pool between the check and the add: drain again so nothing outlives it.
        if (IsDisposed)
        {
            Drain(pool);
        }
    }

    private SafeEvpPKeyContextHandle NewContext(delegate* unmanaged<IntPtr, int> init)
    {
        bool added = false;
        try
        {
            _pkey.DangerousAddRef(ref added);
            return SafeEvpPKeyContextHandle.Create(_pkey.DangerousGetHandle(), init)
                ?? throw new CryptographicException("OpenSSL could not prepare a raw RSA context.");
        }
        finally
        {
            if (added)
            {
                _pkey.DangerousRelease();
            }
        }
    }
}
