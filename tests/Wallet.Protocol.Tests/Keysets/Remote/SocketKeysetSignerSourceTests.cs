using Wallet.Protocol.Keysets;
using Wallet.Protocol.Keysets.Remote;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Keysets.Remote;

/// <summary>The scheme's side of the socket protocol: what an unreachable or refusing signing process becomes.</summary>
public sealed class SocketKeysetSignerSourceTests
{
    private static readonly KeysetDescriptor Descriptor = KeyCustodyWorld.Parameters().Describe(ProtocolKeys.Rsa2048.PublicKey.ExportSubjectPublicKeyInfo());

    [Fact]
    public async Task AnUnreachableSigningProcessIsUnavailableWithoutAStatus()
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-socket-").FullName;
        try
        {
            using var source = new SocketKeysetSignerSource(Path.Combine(directory, "nobody.sock"));

            var lookup = await Assert.ThrowsAsync<KeysetSignerUnavailableException>(async () => await source.TryGetSignerAsync(Descriptor, CancellationToken.None));
            var generation = await Assert.ThrowsAsync<KeysetSignerUnavailableException>(async () => await source.GenerateAsync(Wallet.Crypto.BlindRsa.BlindRsaScheme.Rsabssa, 2048, spki => KeyCustodyWorld.Parameters().Describe(spki), CancellationToken.None));

            Assert.Null(lookup.Status);
            Assert.Equal(Descriptor.Id, lookup.Keyset);
            Assert.Null(generation.Keyset);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(KeysetSignerStatus.UnknownKeyset)]
    [InlineData(KeysetSignerStatus.SigningFailed)]
    [InlineData(KeysetSignerStatus.Malformed)]
    public void ARefusalIsUnavailabilityNamingTheStatus(KeysetSignerStatus status)
    {
        var refused = Assert.Throws<KeysetSignerUnavailableException>(() => SocketKeysetSignerSource.Read(KeysetSignerProtocol.EncodeError(status), Descriptor.Id, KeysetSignerProtocol.ReadPublicKey));

        Assert.Equal(status, refused.Status);
        Assert.Equal(Descriptor.Id, refused.Keyset);
        Assert.Contains(status.ToString(), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheExpectedRefusalIsNull()
    {
        Assert.Null(SocketKeysetSignerSource.Read(KeysetSignerProtocol.EncodeError(KeysetSignerStatus.UnknownKeyset), Descriptor.Id, KeysetSignerProtocol.ReadPublicKey, KeysetSignerStatus.UnknownKeyset));
    }

    [Theory]
    [InlineData("")]
    [InlineData("01")]
    [InlineData("0100")]
    [InlineData("010000ff")]
    [InlineData("0200")]
    [InlineData("01ff")]
    public void AnUnreadableAnswerIsUnavailabilityWithoutAStatus(string hex)
    {
        var refused = Assert.Throws<KeysetSignerUnavailableException>(() => SocketKeysetSignerSource.Read(Convert.FromHexString(hex), Descriptor.Id, KeysetSignerProtocol.ReadPublicKey));

        Assert.Null(refused.Status);
        Assert.IsType<ProtocolFormatException>(refused.InnerException);
    }
}
