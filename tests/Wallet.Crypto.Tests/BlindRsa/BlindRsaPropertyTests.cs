using FsCheck;
using FsCheck.Xunit;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;

namespace Wallet.Crypto.Tests.BlindRsa;

/// <summary>Properties over random messages, variants, sizes (2048, 3072, 4096) and both backends, on pre-generated keys.</summary>
public sealed class BlindRsaPropertyTests
{
    private static readonly int[] Sizes = [2048, 3072, 4096];

    private static (BlindRsaAlgorithm Algorithm, BlindRsaPrivateKey Key, byte[] Metadata) Pick(byte variant, byte size, bool managed, byte[]? metadata)
    {
        var algorithm = BlindRsaAlgorithm.All[variant % BlindRsaAlgorithm.All.Count];
        var backend = managed ? RsaBackendKind.Managed : RsaBackendKind.OpenSsl;
        return (algorithm, TestKeys.For(algorithm, Sizes[size % Sizes.Length], backend), metadata ?? []);
    }

    private static (byte[] Prepared, byte[] Signature) Issue(BlindRsaAlgorithm algorithm, BlindRsaPrivateKey key, byte[] message, byte[] metadata)
    {
        var client = new BlindRsaClient(algorithm, key.PublicKey);
        byte[] prepared = client.Prepare(message);
        var pb = algorithm.Scheme == BlindRsaScheme.Rsapbssa;
        using var state = pb ? client.Blind(prepared, metadata) : client.Blind(prepared);
        var signer = new BlindRsaSigner(key);
        var blindSignature = pb ? signer.BlindSign(state.BlindedMessage, metadata) : signer.BlindSign(state.BlindedMessage);
        return (prepared, client.Finalize(state, blindSignature));
    }

    private static bool Verify(BlindRsaAlgorithm algorithm, BlindRsaPublicKey key, byte[] prepared, byte[] signature, byte[] metadata)
    {
        var verifier = new BlindRsaVerifier(algorithm, key);
        return algorithm.Scheme == BlindRsaScheme.Rsapbssa ? verifier.Verify(prepared, signature, metadata) : verifier.Verify(prepared, signature);
    }

    [Property(MaxTest = 40)]
    public bool FinalizeOfBlindSignOfBlindVerifies(byte[] message, byte variant, byte size, bool managed, byte[] metadata)
    {
        var (algorithm, key, info) = Pick(variant, size, managed, metadata);
        var (prepared, signature) = Issue(algorithm, key, message, info);
        return Verify(algorithm, key.PublicKey, prepared, signature, info);
    }

    [Property(MaxTest = 40)]
    public bool AnyFlippedBitOfMessageSignatureOrMetadataFailsVerification(NonEmptyArray<byte> message, byte variant, bool managed, byte[] metadata, PositiveInt bit, byte target)
    {
        var (algorithm, key, info) = Pick(variant, 0, managed, metadata);
        var (prepared, signature) = Issue(algorithm, key, message.Get, info);
        bool pb = algorithm.Scheme == BlindRsaScheme.Rsapbssa;
        switch (target % (pb ? 3 : 2))
        {
            case 0:
                prepared[bit.Get / 8 % prepared.Length] ^= (byte)(1 << (bit.Get % 8));
                break;
            case 1:
                signature[bit.Get / 8 % signature.Length] ^= (byte)(1 << (bit.Get % 8));
                break;
            default:
                info = info.Length == 0 ? [0x00] : info;
                info[bit.Get / 8 % info.Length] ^= (byte)(1 << (bit.Get % 8));
                break;
        }

        return !Verify(algorithm, key.PublicKey, prepared, signature, info);
    }

    [Property(MaxTest = 20)]
    public bool AnyFlippedBitOfTheKeyFailsVerification(NonEmptyArray<byte> message, byte variant, PositiveInt bit)
    {
        var (algorithm, key, info) = Pick(variant, 0, false, [1, 2, 3]);
        var (prepared, signature) = Issue(algorithm, key, message.Get, info);
        byte[] modulus = key.PublicKey.ExportModulus();
        byte[] exponent = key.PublicKey.ExportExponent();

        // Flip a bit of n or e (keeping n odd and of full size, e odd, so the key still imports) and verify. An
        // RSAPBSSA master key's e plays no part in verification (e' is derived from n and the metadata), so only n.
        bool flipExponent = bit.Get % 4 == 0 && algorithm.Scheme == BlindRsaScheme.Rsabssa;
        byte[] flipped = flipExponent ? exponent : modulus;
        int index = (bit.Get / 8 % (flipped.Length - 1)) + (flipExponent ? 0 : 1);
        int shift = flipExponent || index == flipped.Length - 1 ? 1 + (bit.Get % 7) : bit.Get % 8;
        flipped[index] ^= (byte)(1 << shift);
        var material = RsaKeyMaterial.CreatePublic(RsaIntegers.FromBytes(modulus), RsaIntegers.FromBytes(exponent));
        using var other = new BlindRsaPublicKey(material, key.Scheme, RsaBackendKind.Managed);
        return !Verify(algorithm, other, prepared, signature, info);
    }

    [Property(MaxTest = 20)]
    public bool SignatureOfOneVariantNeverVerifiesAsAnother(byte[] message, byte variant, byte other)
    {
        var (a, key, info) = Pick(variant, 0, false, [9]);
        var candidates = BlindRsaAlgorithm.All.Where(x => x.Scheme == a.Scheme && x != a).ToArray();
        var b = candidates[other % candidates.Length];
        var (prepared, signature) = Issue(a, key, message, info);

        // A different salt length never verifies the same prepared message. Randomized and Deterministic differ in
        // what is verified: the Randomized signature covers prefix ‖ message, so the bare message never verifies.
        byte[] presented = a.SaltLength != b.SaltLength ? prepared : message;
        if (a.SaltLength == b.SaltLength && !a.IsRandomized)
        {
            return true; // A Deterministic signature over m is, by RFC 9474 design, a Randomized one over prefix = m[..32].
        }

        return !Verify(b, key.PublicKey, presented, signature, info);
    }

    [Property(MaxTest = 12)]
    public bool BothBackendsGiveIdenticalBytes(byte[] message, byte variant, byte size)
    {
        var algorithm = BlindRsaAlgorithm.All[variant % BlindRsaAlgorithm.All.Count];
        int bits = Sizes[size % Sizes.Length];
        var openssl = TestKeys.For(algorithm, bits, RsaBackendKind.OpenSsl);
        var managed = TestKeys.For(algorithm, bits, RsaBackendKind.Managed);
        byte[] salt = new byte[algorithm.SaltLength];
        System.Security.Cryptography.RandomNumberGenerator.Fill(salt);
        var r = RsaIntegers.RandomBelow(openssl.PublicKey.Material.N);
        byte[] info = [7, 7];

        byte[][] Run(BlindRsaPrivateKey key)
        {
            var client = new BlindRsaClient(algorithm, key.PublicKey);
            byte[] prepared = client.PrepareCore(message, new byte[32]);
            using var state = client.BlindCore(prepared, algorithm.Scheme == BlindRsaScheme.Rsapbssa ? info : default, salt, r);
            var signer = new BlindRsaSigner(key);
            var blindSignature = algorithm.Scheme == BlindRsaScheme.Rsapbssa ? signer.BlindSign(state.BlindedMessage, info) : signer.BlindSign(state.BlindedMessage);
            return [state.BlindedMessage.ToArray(), blindSignature.ToArray(), client.Finalize(state, blindSignature)];
        }

        var a = Run(openssl);
        var b = Run(managed);
        return a.Zip(b).All(p => p.First.AsSpan().SequenceEqual(p.Second));
    }

    [Property(MaxTest = 20)]
    public bool PssSignaturesAreStandardRsassaPssThatDotNetAccepts(byte[] message, byte variant, byte size, bool managed)
    {
        // Interoperability: a PSS-variant signature is a plain RSASSA-PSS-SHA384 signature with a 48-byte salt, so any
        // conforming verifier (here .NET's own) accepts it; a PSSZERO one is not, and .NET refuses it.
        var algorithm = BlindRsaAlgorithm.All[variant % 4];
        var (_, key, _) = Pick((byte)(variant % 4), size, managed, null);
        var (prepared, signature) = Issue(algorithm, key, message, []);
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(key.PublicKey.ExportSubjectPublicKeyInfo(), out _);
        bool accepted = rsa.VerifyData(prepared, signature, System.Security.Cryptography.HashAlgorithmName.SHA384, System.Security.Cryptography.RSASignaturePadding.Pss);
        return accepted == (algorithm.SaltLength == 48);
    }
}
