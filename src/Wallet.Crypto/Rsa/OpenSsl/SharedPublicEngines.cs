using System.Collections.Concurrent;

namespace Wallet.Crypto.Rsa;

/// <summary>
/// One checked OpenSSL engine per public key (n, e) for the whole process, lent to every key object with that
/// modulus and exponent. A wallet trusts the same few keysets that every other wallet in the process trusts, and a
/// verifier meets the same keys again and again: without this, every key object paid for its own EVP_PKEY import,
/// its own public-operation check and its own contexts, which the finalizer later freed.
/// </summary>
/// <remarks>
/// Only public keys are shared: nothing secret is kept in a static. The table is bounded; beyond
/// <see cref="Capacity"/> keys, engines are built per key object as before. Shared engines live as long as the
/// process; the loans are <see cref="RsaEngine"/>s of their own whose disposal ends the loan, not the engine.
/// </remarks>
internal static class SharedPublicEngines
{
    /// <summary>The most public keys kept; a process serving more builds the rest per key object.</summary>
    public const int Capacity = 256;

    private static readonly ConcurrentDictionary<string, OpenSslRsaEngine> s_engines = new(StringComparer.Ordinal);

    /// <summary>The number of keys held now (for tests).</summary>
    public static int Count => s_engines.Count;

    /// <summary>
    /// A loan of the shared engine for this public key, building and checking it on first use; <see langword="null"/>
    /// when the key holds a private part, OpenSSL refuses it or fails the check, or the table is full.
    /// </summary>
    /// <param name="key">The public key.</param>
    /// <param name="check">The per-key check a new engine must pass before it is shared.</param>
    public static RsaEngine? TryLend(RsaKeyMaterial key, Func<RsaEngine, bool> check)
    {
        if (key.HasPrivate)
        {
            return null;
        }

        string id = Convert.ToHexString(key.N.ToByteArrayUnsigned()) + ":" + Convert.ToHexString(key.E.ToByteArrayUnsigned());
        if (s_engines.TryGetValue(id, out var shared))
        {
            return new Loan(key, shared);
        }

        if (s_engines.Count >= Capacity)
        {
            return null;
        }

        var engine = OpenSslRsaEngine.TryCreate(key, out _);
        if (engine is null || !check(engine))
        {
            engine?.Dispose();
            return null;
        }

        // Two threads may build the same key at once: one engine wins, the other is released.
        var winner = s_engines.GetOrAdd(id, engine);
        if (!ReferenceEquals(winner, engine))
        {
            engine.Dispose();
        }

        return new Loan(key, winner);
    }

    /// <summary>A shared engine seen through one key object: public operations only, disposal ends the loan.</summary>
    private sealed class Loan(RsaKeyMaterial key, OpenSslRsaEngine shared) : RsaEngine(key)
    {
        public override RsaBackendKind Kind => shared.Kind;

        public override void Public(ReadOnlySpan<byte> input, Span<byte> output)
        {
            ObjectDisposedException.ThrowIf(IsDisposed, this);
            shared.Public(input, output);
        }

        public override void Private(ReadOnlySpan<byte> input, Span<byte> output) => CheckPrivate();
    }
}
