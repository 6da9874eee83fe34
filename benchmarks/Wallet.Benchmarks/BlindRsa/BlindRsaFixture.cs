using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;

namespace Wallet.Benchmarks.BlindRsa;

/// <summary>One key of a given size on a given backend, with a prepared message, a blinding and a signature ready.</summary>
public sealed class BlindRsaFixture : IDisposable
{
    private static readonly Dictionary<int, byte[]> s_pkcs8 = [];

    public BlindRsaFixture(int bits, RsaBackendKind backend, BlindRsaAlgorithm? algorithm = null)
    {
        Algorithm = algorithm ?? BlindRsaAlgorithm.RsaBssaSha384PssDeterministic;
        Key = BlindRsaPrivateKey.ImportPkcs8(Pkcs8(bits), backend: backend);
        Client = new BlindRsaClient(Algorithm, Key.PublicKey);
        Signer = new BlindRsaSigner(Key);
        Verifier = new BlindRsaVerifier(Algorithm, Key.PublicKey);
        Message = RandomNumberGenerator.GetBytes(32);
        Prepared = Client.Prepare(Message);
        State = Client.Blind(Prepared);
        BlindSignature = Signer.BlindSign(State.BlindedMessage);
        Signature = Client.Finalize(State, BlindSignature);
        Destination = new byte[Key.PublicKey.ModulusLength];
    }

    public BlindRsaAlgorithm Algorithm { get; }

    public BlindRsaPrivateKey Key { get; }

    public BlindRsaClient Client { get; }

    public BlindRsaSigner Signer { get; }

    public BlindRsaVerifier Verifier { get; }

    public byte[] Message { get; }

    public byte[] Prepared { get; }

    public BlindingState State { get; }

    public BlindSignature BlindSignature { get; }

    public byte[] Signature { get; }

    public byte[] Destination { get; }

    /// <summary>A PKCS#8 key of <paramref name="bits"/>, generated once per process so every backend signs with the same key.</summary>
    public static byte[] Pkcs8(int bits)
    {
        lock (s_pkcs8)
        {
            if (!s_pkcs8.TryGetValue(bits, out var der))
            {
                using var rsa = RSA.Create(bits);
                der = rsa.ExportPkcs8PrivateKey();
                s_pkcs8[bits] = der;
            }

            return der;
        }
    }

    public void Dispose()
    {
        State.Dispose();
        Key.Dispose();
    }
}
