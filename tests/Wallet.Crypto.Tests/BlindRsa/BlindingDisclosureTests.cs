using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;
using Wallet.Crypto.Seeds;

namespace Wallet.Crypto.Tests.BlindRsa;

public sealed class BlindingDisclosureTests
{
    private static readonly byte[] Message = "PB1/coin disclosure test"u8.ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReblindWithTheDisclosedFactorAndSaltReproducesTheBlindedMessage(bool partiallyBlind)
    {
        var (algorithm, publicKey, metadata) = Setup(partiallyBlind);
        using var seed = WalletSeed.Generate();
        using var secrets = seed.DeriveCoin(new byte[32], 3);
        var client = new BlindRsaClient(algorithm, publicKey);
        using var state = client.PrepareAndBlind(Message, secrets, metadata);
        byte[] r = BlindingDisclosure.ExportBlindingFactor(state);

        var again = BlindingDisclosure.Reblind(algorithm, publicKey, Message, metadata, secrets.PssSalt[..algorithm.SaltLength], r);

        Assert.Equal(state.BlindedMessage.ToArray(), again.ToArray());
    }

    [Fact]
    public void ReblindWithAnotherFactorOrMessageGivesAnotherBlindedMessage()
    {
        var (algorithm, publicKey, metadata) = Setup(false);
        using var seed = WalletSeed.Generate();
        using var secrets = seed.DeriveCoin(new byte[32], 0);
        using var state = new BlindRsaClient(algorithm, publicKey).PrepareAndBlind(Message, secrets, metadata);
        byte[] r = BlindingDisclosure.ExportBlindingFactor(state);
        byte[] salt = secrets.PssSalt[..algorithm.SaltLength].ToArray();

        byte[] otherR = (byte[])r.Clone();
        otherR[^1] ^= 2;
        Assert.NotEqual(state.BlindedMessage.ToArray(), BlindingDisclosure.Reblind(algorithm, publicKey, Message, metadata, salt, otherR).ToArray());
        Assert.NotEqual(state.BlindedMessage.ToArray(), BlindingDisclosure.Reblind(algorithm, publicKey, [.. Message, 0], metadata, salt, r).ToArray());
    }

    [Fact]
    public void ReblindRefusesWrongLengthsAndOutOfRangeFactors()
    {
        var (algorithm, publicKey, _) = Setup(false);
        byte[] salt = new byte[algorithm.SaltLength];
        Assert.Throws<ArgumentException>("salt", () => BlindingDisclosure.Reblind(algorithm, publicKey, Message, default, new byte[3], new byte[publicKey.ModulusLength]));
        Assert.Throws<ArgumentException>("blindingFactor", () => BlindingDisclosure.Reblind(algorithm, publicKey, Message, default, salt, new byte[5]));
        Assert.Throws<ArgumentException>("metadata", () => BlindingDisclosure.Reblind(algorithm, publicKey, Message, [1], salt, new byte[publicKey.ModulusLength]));
        var zero = Assert.Throws<BlindRsaException>(() => BlindingDisclosure.Reblind(algorithm, publicKey, Message, default, salt, new byte[publicKey.ModulusLength]));
        Assert.Equal(BlindRsaError.BlindingInverseFailure, zero.Error);
    }

    [Fact]
    public void ExportFromADisposedStateThrows()
    {
        var (algorithm, publicKey, metadata) = Setup(false);
        using var seed = WalletSeed.Generate();
        using var secrets = seed.DeriveCoin(new byte[32], 0);
        var state = new BlindRsaClient(algorithm, publicKey).PrepareAndBlind(Message, secrets, metadata);
        state.Dispose();
        Assert.Throws<ObjectDisposedException>(() => BlindingDisclosure.ExportBlindingFactor(state));
        Assert.Throws<ArgumentNullException>("state", () => BlindingDisclosure.ExportBlindingFactor(null!));
    }

    private static (BlindRsaAlgorithm Algorithm, BlindRsaPublicKey PublicKey, byte[] Metadata) Setup(bool partiallyBlind) =>
        partiallyBlind
            ? (BlindRsaAlgorithm.RsaPbssaSha384PssDeterministic, TestKeys.PartiallyBlind(2048, RsaBackendKind.Managed).PublicKey, "metadata"u8.ToArray())
            : (BlindRsaAlgorithm.RsaBssaSha384PssDeterministic, TestKeys.Standard(2048, RsaBackendKind.Managed).PublicKey, []);
}
