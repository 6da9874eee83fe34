using System.Security.Cryptography;
using FsCheck;
using FsCheck.Xunit;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Wallet.Crypto.Tests.BlindRsa;

/// <summary>Hostile and malformed input: every case is a typed error (or false from Verify), and nothing else escapes.</summary>
public sealed class BlindRsaBadInputTests
{
    public static TheoryData<RsaBackendKind> Backends() => [RsaBackendKind.OpenSsl, RsaBackendKind.Managed];

    private static BlindRsaPrivateKey Key(RsaBackendKind backend) => TestKeys.Standard(2048, backend);

    private static byte[] Add(byte[] modulus, int delta)
    {
        var value = RsaIntegers.FromBytes(modulus).Add(BigInteger.ValueOf(delta));
        return RsaIntegers.ToBytes(value, modulus.Length);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void BlindSignRejectsZeroModulusAndAbove(RsaBackendKind backend)
    {
        var signer = new BlindRsaSigner(Key(backend));
        byte[] n = Key(backend).PublicKey.ExportModulus();
        foreach (var value in new[] { new byte[n.Length], n, Add(n, 1), Enumerable.Repeat((byte)0xFF, n.Length).ToArray() })
        {
            var ex = Assert.Throws<BlindRsaException>(() => signer.BlindSign(BlindedMessage.FromBytes(value)));
            Assert.Equal(BlindRsaError.OutOfRange, ex.Error);
        }

        // n - 1 is in range and is signed.
        Assert.Equal(n.Length, signer.BlindSign(BlindedMessage.FromBytes(Add(n, -1))).Length);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void BlindSignRejectsWrongLengths(RsaBackendKind backend)
    {
        var signer = new BlindRsaSigner(Key(backend));
        foreach (int length in new[] { 1, 255, 257, 512 })
        {
            var ex = Assert.Throws<BlindRsaException>(() => signer.BlindSign(BlindedMessage.FromBytes(new byte[length])));
            Assert.Equal(BlindRsaError.InvalidLength, ex.Error);
        }

        Assert.Throws<ArgumentException>(() => BlindedMessage.FromBytes([]));
        Assert.Throws<ArgumentException>("destination", () => signer.BlindSign(new byte[256], new byte[255]));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void SignerFaultIsDetectedAndNothingIsReleased(RsaBackendKind backend)
    {
        // A fault injected into the private operation (one flipped bit, as a glitch would cause) must be caught by the
        // signer's own verification, RFC 9474 section 4.3 step 3.
        var source = Key(backend);
        using var material = RsaKeyMaterial.FromParameters(ImportParameters(source));
        using var faulty = BlindRsaPrivateKey.FromMaterial(material, BlindRsaScheme.Rsabssa, backend, m => new FaultyEngine(RsaBackends.CreateEngine(m, backend)));
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssDeterministic, source.PublicKey);
        using var state = client.Blind(client.Prepare([1, 2, 3]));
        byte[] destination = Enumerable.Repeat((byte)0xAA, 256).ToArray();
        var ex = Assert.Throws<BlindRsaException>(() => new BlindRsaSigner(faulty).BlindSign(state.BlindedMessage.AsSpan(), destination));
        Assert.Equal(BlindRsaError.SigningFailure, ex.Error);
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void FinalizeRejectsWrongLengthOutOfRangeAndForgedSignatures(RsaBackendKind backend)
    {
        var key = Key(backend);
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssRandomized, key.PublicKey);
        using var state = client.Blind(client.Prepare([4, 5, 6]));
        byte[] n = key.PublicKey.ExportModulus();

        Assert.Equal(BlindRsaError.InvalidLength, Assert.Throws<BlindRsaException>(() => client.Finalize(state, BlindSignature.FromBytes(new byte[255]))).Error);
        Assert.Equal(BlindRsaError.OutOfRange, Assert.Throws<BlindRsaException>(() => client.Finalize(state, BlindSignature.FromBytes(n))).Error);
        Assert.Equal(BlindRsaError.InvalidSignature, Assert.Throws<BlindRsaException>(() => client.Finalize(state, BlindSignature.FromBytes(Add(n, -12345)))).Error);

        // A genuine blind signature for a different blinding is also refused.
        using var other = client.Blind(client.Prepare([4, 5, 6]));
        var wrong = new BlindRsaSigner(key).BlindSign(other.BlindedMessage);
        Assert.Equal(BlindRsaError.InvalidSignature, Assert.Throws<BlindRsaException>(() => client.Finalize(state, wrong)).Error);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void VerifyReturnsFalseForMalformedSignatures(RsaBackendKind backend)
    {
        var key = Key(backend);
        byte[] n = key.PublicKey.ExportModulus();
        foreach (var algorithm in BlindRsaAlgorithm.All.Where(a => a.Scheme == BlindRsaScheme.Rsabssa))
        {
            var verifier = new BlindRsaVerifier(algorithm, key.PublicKey);
            foreach (var signature in new[] { Array.Empty<byte>(), new byte[255], new byte[257], new byte[256], n, Add(n, 1), Add(n, -1) })
            {
                Assert.False(verifier.Verify([1, 2, 3], signature));
            }
        }
    }

    [Fact]
    public void BlindRejectsMessageNotCoprimeWithModulus()
    {
        // A public "key" whose modulus has the factor 3: a third of all encoded messages share it. Import accepts
        // any odd modulus of the right size (it cannot test primality), so the client must catch it.
        var n = BigInteger.Three.Multiply(BigInteger.One.ShiftLeft(2046).Add(BigInteger.ValueOf(1)));
        Assert.True(n.TestBit(0));
        using var key = new BlindRsaPublicKey(RsaKeyMaterial.CreatePublic(n, BigInteger.ValueOf(65537)), BlindRsaScheme.Rsabssa, RsaBackendKind.Managed);
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssZeroDeterministic, key);
        int notCoprime = 0;
        for (byte i = 0; i < 30; i++)
        {
            try
            {
                // r = 2 is invertible modulo this n, so only the message can be at fault.
                client.BlindCore([i], default, [], BigInteger.Two).Dispose();
            }
            catch (BlindRsaException ex)
            {
                Assert.Equal(BlindRsaError.MessageNotCoprime, ex.Error);
                notCoprime++;
            }
        }

        Assert.InRange(notCoprime, 1, 29);
    }

    [Fact]
    public void BlindRejectsBlindingFactorWithoutInverse()
    {
        var key = Key(RsaBackendKind.Managed);
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssZeroDeterministic, key.PublicKey);
        var n = key.PublicKey.Material.N;
        foreach (var r in new[] { BigInteger.Zero, n, n.Add(BigInteger.One), key.Engine.Key.P })
        {
            var ex = Assert.Throws<BlindRsaException>(() => client.BlindCore([1], default, [], r));
            Assert.Equal(BlindRsaError.BlindingInverseFailure, ex.Error);
        }
    }

    [Fact]
    public void SchemeMismatchIsACallerError()
    {
        var standard = Key(RsaBackendKind.Managed);
        var partial = TestKeys.PartiallyBlind(2048, RsaBackendKind.Managed);
        Assert.Throws<ArgumentException>("publicKey", () => new BlindRsaClient(BlindRsaAlgorithm.RsaPbssaSha384PssRandomized, standard.PublicKey));
        Assert.Throws<ArgumentException>("publicKey", () => new BlindRsaVerifier(BlindRsaAlgorithm.RsaBssaSha384PssRandomized, partial.PublicKey));
        using var derived = partial.PublicKey.DerivePublicKey([1]);
        Assert.Throws<ArgumentException>("publicKey", () => new BlindRsaClient(BlindRsaAlgorithm.RsaPbssaSha384PssRandomized, derived));
        Assert.Throws<InvalidOperationException>(() => standard.PublicKey.DerivePublicKey([1]));

        var blinded = BlindedMessage.FromBytes(new byte[256]);
        Assert.Throws<InvalidOperationException>(() => new BlindRsaSigner(partial).BlindSign(blinded));
        Assert.Throws<InvalidOperationException>(() => new BlindRsaSigner(standard).BlindSign(blinded, [1]));
        Assert.Throws<ArgumentException>("metadata", () => new BlindRsaSigner(standard).BlindSign(new byte[256], new byte[256], [1]));
        Assert.Throws<InvalidOperationException>(() => new BlindRsaVerifier(BlindRsaAlgorithm.RsaPbssaSha384PssRandomized, partial.PublicKey).Verify([1], new byte[256]));
        Assert.Throws<InvalidOperationException>(() => new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssRandomized, standard.PublicKey).Blind([1], [2]));
    }

    [Fact]
    public void NullArgumentsThrowArgumentNullException()
    {
        var key = Key(RsaBackendKind.Managed);
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssRandomized, key.PublicKey);
        Assert.Throws<ArgumentNullException>("algorithm", () => new BlindRsaClient(null!, key.PublicKey));
        Assert.Throws<ArgumentNullException>("publicKey", () => new BlindRsaVerifier(BlindRsaAlgorithm.RsaBssaSha384PssRandomized, null!));
        Assert.Throws<ArgumentNullException>("privateKey", () => new BlindRsaSigner(null!));
        Assert.Throws<ArgumentNullException>("blindedMessage", () => new BlindRsaSigner(key).BlindSign(null!));
        Assert.Throws<ArgumentNullException>("state", () => client.Finalize(null!, BlindSignature.FromBytes(new byte[256])));
    }

    [Fact]
    public void DisposedStateAndKeyThrowObjectDisposedException()
    {
        var source = Key(RsaBackendKind.Managed);
        using var key = BlindRsaPrivateKey.ImportPkcs8(source.ExportPkcs8(), backend: RsaBackendKind.Managed);
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssRandomized, key.PublicKey);
        var state = client.Blind(client.Prepare([1]));
        var signature = new BlindRsaSigner(key).BlindSign(state.BlindedMessage);
        state.Dispose();
        Assert.Throws<ObjectDisposedException>(() => client.Finalize(state, signature));
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => new BlindRsaSigner(key).BlindSign(state.BlindedMessage));
    }

    [Property(MaxTest = 200)]
    public bool RandomBytesOnlyEverCauseTypedErrors(byte[] bytes, bool managed)
    {
        var key = Key(managed ? RsaBackendKind.Managed : RsaBackendKind.OpenSsl);
        var signer = new BlindRsaSigner(key);
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssRandomized, key.PublicKey);
        using var state = client.Blind([1]);
        var verifier = new BlindRsaVerifier(BlindRsaAlgorithm.RsaBssaSha384PssRandomized, key.PublicKey);
        _ = verifier.Verify([1], bytes);
        if (bytes.Length is 0 or > 1024)
        {
            return true;
        }

        foreach (Action action in new Action[]
        {
            () => signer.BlindSign(BlindedMessage.FromBytes(bytes)),
            () => client.Finalize(state, BlindSignature.FromBytes(bytes)),
        })
        {
            try
            {
                action();
            }
            catch (BlindRsaException)
            {
            }
        }

        return true;
    }

    [Property(MaxTest = 100)]
    public bool KeyLengthValuesNearAndAboveTheModulusOnlyCauseTypedErrors(int offset, bool managed, byte fill)
    {
        // FsCheck's arrays are short, so build key-length values explicitly: n + offset (offset in a small range around
        // zero, so both sides of the boundary), and arbitrary fills including all-0xFF.
        var key = Key(managed ? RsaBackendKind.Managed : RsaBackendKind.OpenSsl);
        byte[] n = key.PublicKey.ExportModulus();
        var value = offset % 3 == 0 ? Enumerable.Repeat(fill, n.Length).ToArray() : Add(n, offset % 1000);
        var signer = new BlindRsaSigner(key);
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssDeterministic, key.PublicKey);
        using var state = client.Blind([1]);
        bool belowModulus = value.AsSpan().SequenceCompareTo(n) < 0;
        bool inRange = belowModulus && value.AsSpan().ContainsAnyExcept((byte)0);
        try
        {
            signer.BlindSign(BlindedMessage.FromBytes(value));
            if (!inRange)
            {
                return false;
            }
        }
        catch (BlindRsaException ex)
        {
            if (inRange || ex.Error != BlindRsaError.OutOfRange)
            {
                return false;
            }
        }

        try
        {
            client.Finalize(state, BlindSignature.FromBytes(value));
            return false; // an arbitrary value never unblinds to a valid signature
        }
        catch (BlindRsaException ex)
        {
            return ex.Error == (belowModulus ? BlindRsaError.InvalidSignature : BlindRsaError.OutOfRange) &&
                   !new BlindRsaVerifier(BlindRsaAlgorithm.RsaBssaSha384PssDeterministic, key.PublicKey).Verify([1], value);
        }
    }

    private static RSAParameters ImportParameters(BlindRsaPrivateKey key)
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(key.ExportPkcs8(), out _);
        return rsa.ExportParameters(true);
    }

    private sealed class FaultyEngine(RsaEngine inner) : RsaEngine(inner.Key)
    {
        public override RsaBackendKind Kind => inner.Kind;

        public override void Public(ReadOnlySpan<byte> input, Span<byte> output) => inner.Public(input, output);

        public override void Private(ReadOnlySpan<byte> input, Span<byte> output)
        {
            inner.Private(input, output);
            output[^1] ^= 0x01;
        }

        protected override void Dispose(bool disposing) => inner.Dispose();
    }
}
