using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Wallet.Crypto.Tests.BlindRsa;

/// <summary>
/// <see cref="BlindingState.FromInverse"/>: a state rebuilt from a blinding inverse finalizes like the one Blind made,
/// and every malformed inverse is a typed <see cref="BlindRsaException"/> before any arithmetic uses it.
/// </summary>
public sealed class BlindingStateFromInverseTests
{
    private static readonly BlindRsaAlgorithm Algorithm = BlindRsaAlgorithm.RsaBssaSha384PssRandomized;

    private static BlindRsaPrivateKey Key => TestKeys.Standard(2048, RsaBackendKind.Managed);

    private static (byte[] Prepared, BlindedMessage Blinded, byte[] Inverse, BlindSignature BlindSignature) Blinding()
    {
        var client = new BlindRsaClient(Algorithm, Key.PublicKey);
        byte[] prepared = client.Prepare("coin"u8);
        using var state = client.Blind(prepared);
        return (prepared, state.BlindedMessage, state.Inverse.ToArray(), new BlindRsaSigner(Key).BlindSign(state.BlindedMessage));
    }

    private static byte[] Add(byte[] modulus, int delta) =>
        RsaIntegers.ToBytes(RsaIntegers.FromBytes(modulus).Add(BigInteger.ValueOf(delta)), modulus.Length);

    private static BlindRsaException Refused(ReadOnlySpan<byte> inverse)
    {
        var (prepared, blinded, _, _) = Blinding();
        byte[] copy = inverse.ToArray();
        return Assert.Throws<BlindRsaException>(() => BlindingState.FromInverse(Algorithm, Key.PublicKey, prepared, blinded, copy));
    }

    [Fact]
    public void FromInverseFinalizesToTheSameSignatureAsBlindsState()
    {
        var (prepared, blinded, inverse, blindSignature) = Blinding();
        var client = new BlindRsaClient(Algorithm, Key.PublicKey);

        using var state = BlindingState.FromInverse(Algorithm, Key.PublicKey, prepared, blinded, inverse);
        inverse.AsSpan().Clear(); // the state holds its own copy
        byte[] signature = client.Finalize(state, blindSignature);

        Assert.True(new BlindRsaVerifier(Algorithm, Key.PublicKey).Verify(prepared, signature));
        Assert.Equal(blinded, state.BlindedMessage);
        Assert.Equal(prepared, state.ExportPreparedMessage());
    }

    [Theory]
    [InlineData(255)]
    [InlineData(257)]
    [InlineData(1)]
    [InlineData(0)]
    public void FromInverseRefusesAWrongLength(int length) =>
        Assert.Equal(BlindRsaError.InvalidLength, Refused(new byte[length]).Error);

    [Fact]
    public void FromInverseRefusesZero() =>
        Assert.Equal(BlindRsaError.OutOfRange, Refused(new byte[256]).Error);

    [Fact]
    public void FromInverseRefusesTheModulusAndAbove()
    {
        byte[] n = Key.PublicKey.ExportModulus();
        foreach (var value in new[] { n, Add(n, 1), Enumerable.Repeat((byte)0xFF, n.Length).ToArray() })
        {
            Assert.Equal(BlindRsaError.OutOfRange, Refused(value).Error);
        }
    }

    [Fact]
    public void FromInverseRefusesAValueSharingAFactorWithTheModulus()
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(TestKeys.PathOf("rsa2048.pem")));
        byte[] p = rsa.ExportParameters(includePrivateParameters: true).P!;
        Assert.Equal(BlindRsaError.BlindingInverseFailure, Refused([.. new byte[256 - p.Length], .. p]).Error);
    }

    [Fact]
    public void FromInverseRefusesABlindedMessageOfTheWrongLengthOrRange()
    {
        var (prepared, _, inverse, _) = Blinding();
        byte[] n = Key.PublicKey.ExportModulus();
        var length = Assert.Throws<BlindRsaException>(() => BlindingState.FromInverse(Algorithm, Key.PublicKey, prepared, BlindedMessage.FromBytes(new byte[255]), inverse));
        var range = Assert.Throws<BlindRsaException>(() => BlindingState.FromInverse(Algorithm, Key.PublicKey, prepared, BlindedMessage.FromBytes(n), inverse));

        Assert.Equal(BlindRsaError.InvalidLength, length.Error);
        Assert.Equal(BlindRsaError.OutOfRange, range.Error);
    }

    [Fact]
    public void FromInverseChecksArgumentsLikeTheClient()
    {
        var (prepared, blinded, inverse, _) = Blinding();
        var partiallyBlind = TestKeys.PartiallyBlind(2048, RsaBackendKind.Managed);

        Assert.Throws<ArgumentNullException>("algorithm", () => BlindingState.FromInverse(null!, Key.PublicKey, prepared, blinded, inverse));
        Assert.Throws<ArgumentNullException>("publicKey", () => BlindingState.FromInverse(Algorithm, null!, prepared, blinded, inverse));
        Assert.Throws<ArgumentNullException>("blindedMessage", () => BlindingState.FromInverse(Algorithm, Key.PublicKey, prepared, null!, inverse));
        Assert.Throws<ArgumentException>("publicKey", () => BlindingState.FromInverse(Algorithm, partiallyBlind.PublicKey, prepared, blinded, inverse));
        Assert.Throws<ArgumentException>("metadata", () => BlindingState.FromInverse(Algorithm, Key.PublicKey, prepared, blinded, inverse, [1]));
        Assert.Throws<ArgumentException>("metadata", () => BlindingState.FromInverse(
            BlindRsaAlgorithm.RsaPbssaSha384PssDeterministic, partiallyBlind.PublicKey, prepared, blinded, inverse, new byte[4097]));
    }

    [Fact]
    public void AWrongInverseNeverYieldsASignature()
    {
        // In range and invertible, but not this blinding's inverse: Finalize's own verification refuses the result.
        var (prepared, blinded, inverse, blindSignature) = Blinding();
        byte[] other = RsaIntegers.ToBytes(RsaIntegers.FromBytes(inverse).Add(BigInteger.One), inverse.Length);
        using var state = BlindingState.FromInverse(Algorithm, Key.PublicKey, prepared, blinded, other);

        var ex = Assert.Throws<BlindRsaException>(() => new BlindRsaClient(Algorithm, Key.PublicKey).Finalize(state, blindSignature));
        Assert.Equal(BlindRsaError.InvalidSignature, ex.Error);
    }

    [Fact]
    public void ADisposedRestoredStateIsWipedAndRefused()
    {
        var (prepared, blinded, inverse, blindSignature) = Blinding();
        var state = BlindingState.FromInverse(Algorithm, Key.PublicKey, prepared, blinded, inverse);
        state.Dispose();

        Assert.Throws<ObjectDisposedException>(() => new BlindRsaClient(Algorithm, Key.PublicKey).Finalize(state, blindSignature));
        Assert.DoesNotContain(Convert.ToHexString(inverse)[..16], state.ToString(), StringComparison.OrdinalIgnoreCase);
    }
}
