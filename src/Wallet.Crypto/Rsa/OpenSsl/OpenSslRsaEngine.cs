using System.Security.Cryptography;

namespace Wallet.Crypto.Rsa.OpenSsl;

/// <summary>
/// The OpenSSL backend: raw RSA through <c>EVP_PKEY_sign</c> (RSASP1) and <c>EVP_PKEY_encrypt</c> (RSAEP/RSAVP1)
/// with <c>RSA_NO_PADDING</c> on the EVP_PKEY that .NET's <see cref="RSAOpenSsl"/> built from the key.
/// </summary>
/// <remarks>
/// Each thread keeps its own pair of initialised EVP_PKEY_CTX objects for the key (an EVP_PKEY_CTX is not safe to
/// share between threads, the EVP_PKEY is), so the hot path is two native calls without allocation.
/// OpenSSL's RSA private operation uses CRT with base blinding and re-checks the CRT result itself.
/// </remarks>
internal sealed unsafe class OpenSslRsaEngine : RsaEngine
{
    private readonly SafeEvpPKeyHandle _pkey;
    private readonly ThreadLocal<Contexts> _contexts;
    private int _disposed;

    private OpenSslRsaEngine(RsaKeyMaterial key, SafeEvpPKeyHandle pkey)
        : base(key)
    {
        _pkey = pkey;
        _contexts = new ThreadLocal<Contexts>(CreateContexts, trackAllValues: true);
    }

    public override RsaBackendKind Kind => RsaBackendKind.OpenSsl;

    public override bool HasPrivate => Key.HasPrivate;

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
        Run(_contexts.Value!.Encrypt, LibCrypto.EVP_PKEY_encrypt, input, output);

    public override void Private(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (!Key.HasPrivate)
        {
            throw new InvalidOperationException("This RSA engine holds only a public key.");
        }

        Run(_contexts.Value!.Sign, LibCrypto.EVP_PKEY_sign, input, output);
    }

    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var contexts in _contexts.Values)
        {
            contexts.Free();
        }

        _contexts.Dispose();
        _pkey.Dispose();
    }

    private void Run(
        IntPtr ctx,
        delegate* unmanaged<IntPtr, byte*, nuint*, byte*, nuint, int> operation,
        ReadOnlySpan<byte> input,
        Span<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        nuint written = (nuint)output.Length;
        int result;
        fixed (byte* i = input)
        fixed (byte* o = output)
        {
            result = operation(ctx, o, &written, i, (nuint)input.Length);
        }

        if (result != 1 || written != (nuint)output.Length)
        {
            LibCrypto.ERR_clear_error();
            throw new CryptographicException("OpenSSL raw RSA operation failed.");
        }
    }

    private Contexts CreateContexts()
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        bool added = false;
        _pkey.DangerousAddRef(ref added);
        try
        {
            IntPtr pkey = _pkey.DangerousGetHandle();
            IntPtr sign = Key.HasPrivate ? NewContext(pkey, LibCrypto.EVP_PKEY_sign_init) : IntPtr.Zero;
            IntPtr encrypt = NewContext(pkey, LibCrypto.EVP_PKEY_encrypt_init);
            return new Contexts(sign, encrypt);
        }
        finally
        {
            if (added)
            {
                _pkey.DangerousRelease();
            }
        }
    }

    private static IntPtr NewContext(IntPtr pkey, delegate* unmanaged<IntPtr, int> init)
    {
        // EVP_PKEY_CTX_new takes its own reference on the EVP_PKEY, so the context stays valid on its own.
        IntPtr ctx = LibCrypto.EVP_PKEY_CTX_new(pkey, IntPtr.Zero);
        if (ctx == IntPtr.Zero || init(ctx) != 1 || LibCrypto.EVP_PKEY_CTX_set_rsa_padding(ctx, LibCrypto.RsaNoPadding) != 1)
        {
            if (ctx != IntPtr.Zero)
            {
                LibCrypto.EVP_PKEY_CTX_free(ctx);
            }

            LibCrypto.ERR_clear_error();
            throw new CryptographicException("OpenSSL could not prepare a raw RSA context.");
        }

        return ctx;
    }

    private sealed class Contexts(IntPtr sign, IntPtr encrypt)
    {
        public IntPtr Sign { get; private set; } = sign;

        public IntPtr Encrypt { get; private set; } = encrypt;

        public void Free()
        {
            if (Sign != IntPtr.Zero)
            {
                LibCrypto.EVP_PKEY_CTX_free(Sign);
            }

            if (Encrypt != IntPtr.Zero)
            {
                LibCrypto.EVP_PKEY_CTX_free(Encrypt);
            }

            Sign = Encrypt = IntPtr.Zero;
        }
    }
}
