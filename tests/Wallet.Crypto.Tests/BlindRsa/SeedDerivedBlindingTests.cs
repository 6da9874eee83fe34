using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;
using Wallet.Crypto.Seeds;

namespace Wallet.Crypto.Tests.BlindRsa;

/// <summary>Blinding from seed-derived coin secrets: the same seed always re-derives the same blinded message.</summary>
public sealed class SeedDerivedBlindingTests
{
    private static readonly byte[] KeysetId = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();

    public static TheoryData<string, RsaBackendKind> Cases()
    {
        var data = new TheoryData<string, RsaBackendKind>();
        foreach (var algorithm in BlindRsaAlgorithm.All)
        {
            foreach (var backend in TestKeys.Backends)
            {
                data.Add(algorithm.Name, backend);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SameSeedRederivesSameBlindedMessageAndTheCoinVerifies(string name, RsaBackendKind backend)
    {
        var algorithm = BlindRsaAlgorithm.FromName(name);
        var key = TestKeys.For(algorithm, 2048, backend);
        var client = new BlindRsaClient(algorithm, key.PublicKey);
        byte[] info = algorithm.Scheme == BlindRsaScheme.Rsapbssa ? [1, 2, 3] : [];
        using var seed = WalletSeed.Generate();

        using var coin = seed.DeriveCoin(KeysetId, 5);
        byte[] message = coin.SigningKey.PublicKey.Export();
        using var first = client.PrepareAndBlind(message, coin, info);

        // A wallet restored from its backup code, on a fresh client, derives the very same blinded message.
        using var restored = WalletSeed.ParseBackupCode(seed.ToBackupCode());
        using var again = restored.DeriveCoin(KeysetId, 5);
        using var second = new BlindRsaClient(algorithm, key.PublicKey).PrepareAndBlind(again.SigningKey.PublicKey.Export(), again, info);
        Assert.Equal(first.BlindedMessage, second.BlindedMessage);
        Assert.Equal(first.ExportPreparedMessage(), second.ExportPreparedMessage());

        // The next counter gives an unrelated blinded message.
        using var next = seed.DeriveCoin(KeysetId, 6);
        using var third = client.PrepareAndBlind(next.SigningKey.PublicKey.Export(), next, info);
        Assert.NotEqual(first.BlindedMessage, third.BlindedMessage);

        // The stored blind signature finalizes on the restored device.
        var signer = new BlindRsaSigner(key);
        var blindSignature = algorithm.Scheme == BlindRsaScheme.Rsapbssa ? signer.BlindSign(first.BlindedMessage, info) : signer.BlindSign(first.BlindedMessage);
        byte[] signature = client.Finalize(second, blindSignature);
        var verifier = new BlindRsaVerifier(algorithm, key.PublicKey);
        byte[] prepared = second.ExportPreparedMessage();
        Assert.True(algorithm.Scheme == BlindRsaScheme.Rsapbssa ? verifier.Verify(prepared, signature, info) : verifier.Verify(prepared, signature));
        Assert.Equal(algorithm.IsRandomized ? [.. again.MessagePrefix, .. message] : message, prepared);
    }

    [Fact]
    public void MetadataIsRefusedForStandardVariants()
    {
        var key = TestKeys.Standard(2048, RsaBackendKind.Managed);
        using var seed = WalletSeed.Generate();
        using var coin = seed.DeriveCoin(KeysetId, 0);
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssDeterministic, key.PublicKey);
        Assert.Throws<ArgumentException>("metadata", () => client.PrepareAndBlind([1], coin, [1]));
        Assert.Throws<ArgumentNullException>("secrets", () => client.PrepareAndBlind([1], null!));
    }
}
