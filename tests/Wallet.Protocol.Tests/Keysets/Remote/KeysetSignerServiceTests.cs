using System.Buffers.Binary;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Keysets.Remote;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Keysets.Remote;

/// <summary>The signing process's side of the socket protocol: answers, typed errors for every kind of bad input, framing.</summary>
public sealed class KeysetSignerServiceTests : IDisposable
{
    private readonly InMemoryKeysetKeyStore _store = new();
    private readonly KeysetSignerService _service;
    private readonly KeysetDescriptor _descriptor = KeyCustodyWorld.Parameters().Describe(ProtocolKeys.Rsa2048.PublicKey.ExportSubjectPublicKeyInfo());

    public KeysetSignerServiceTests()
    {
        _store.PutAsync(_descriptor.Id, ProtocolKeys.Rsa2048, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _service = new KeysetSignerService(_store);
    }

    [Fact]
    public async Task SignAnswersTheSignaturesOfTheKeyInCustody()
    {
        BlindedMessage[] messages = [Message(5), Message(7)];

        byte[] response = await _service.HandleAsync(KeysetSignerProtocol.EncodeSign(_descriptor, messages), CancellationToken.None);

        var signer = new BlindRsaSigner(ProtocolKeys.Rsa2048);
        var signatures = ReadSignatures(response, 2, 256);
        Assert.Equal([signer.BlindSign(messages[0]), signer.BlindSign(messages[1])], signatures);
    }

    [Fact]
    public async Task PublicKeyAnswersTheHeldKeysSubjectPublicKeyInfo()
    {
        byte[] response = await _service.HandleAsync(KeysetSignerProtocol.EncodeDescriptor(KeysetSignerOperation.PublicKey, _descriptor), CancellationToken.None);

        Assert.Equal(_descriptor.PublicKey.ToArray(), ReadPublicKey(response));
    }

    [Fact]
    public async Task AKeysetWithoutAKeyIsUnknownKeyset()
    {
        var other = KeyCustodyWorld.Parameters(epoch: 2).Describe(ProtocolKeys.Rsa3072.PublicKey.ExportSubjectPublicKeyInfo());

        Assert.Equal(KeysetSignerStatus.UnknownKeyset, Status(await _service.HandleAsync(KeysetSignerProtocol.EncodeSign(other, [Message(5, 384)]), CancellationToken.None)));
        Assert.Equal(KeysetSignerStatus.UnknownKeyset, Status(await _service.HandleAsync(KeysetSignerProtocol.EncodeDescriptor(KeysetSignerOperation.PublicKey, other), CancellationToken.None)));
        Assert.Equal(KeysetSignerStatus.UnknownKeyset, Status(await _service.HandleAsync(KeysetSignerProtocol.EncodeDescriptor(KeysetSignerOperation.File, other), CancellationToken.None)));
    }

    [Fact]
    public async Task AKeyFiledUnderAnotherKeysetsIdIsKeyMismatch()
    {
        var other = KeyCustodyWorld.Parameters(epoch: 3).Describe(ProtocolKeys.Rsa3072.PublicKey.ExportSubjectPublicKeyInfo());
        await _store.PutAsync(other.Id, ProtocolKeys.Rsa2048, CancellationToken.None);

        Assert.Equal(KeysetSignerStatus.KeyMismatch, Status(await _service.HandleAsync(KeysetSignerProtocol.EncodeSign(other, [Message(5, 384)]), CancellationToken.None)));
    }

    public static TheoryData<string, KeysetSignerStatus> BadRequests() => new()
    {
        { "", KeysetSignerStatus.Malformed },
        { "01", KeysetSignerStatus.Malformed },
        { "0201", KeysetSignerStatus.UnsupportedVersion },
        { "0109", KeysetSignerStatus.UnknownOperation },
        { "0100", KeysetSignerStatus.UnknownOperation },
        { "0101", KeysetSignerStatus.Malformed },
        { "010100", KeysetSignerStatus.Malformed },
        { "01020005", KeysetSignerStatus.Malformed },
        { "0102000100", KeysetSignerStatus.Malformed },
        { "0103010400", KeysetSignerStatus.Malformed },
        { "010309", KeysetSignerStatus.Malformed },
        { "01030308", KeysetSignerStatus.Malformed },
        { "0103010800ff", KeysetSignerStatus.Malformed },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task MalformedRequestsGetATypedError(string hex, KeysetSignerStatus expected)
    {
        Assert.Equal(expected, Status(await _service.HandleAsync(Convert.FromHexString(hex), CancellationToken.None)));
    }

    [Fact]
    public async Task SignRequestsWithBadCountsOrTrailingBytesAreMalformed()
    {
        byte[] good = KeysetSignerProtocol.EncodeSign(_descriptor, [Message(5)]);
        int countAt = 4 + _descriptor.Encode().Length;

        byte[] zero = good[..(countAt + 2)];
        BinaryPrimitives.WriteUInt16BigEndian(zero.AsSpan(countAt), 0);
        byte[] moreThanSent = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(moreThanSent.AsSpan(countAt), 2);
        byte[] tooMany = (byte[])good.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(tooMany.AsSpan(countAt), KeysetSignerProtocol.MaxBatch + 1);
        byte[] trailing = [.. good, 0];
        byte[] alteredDescriptor = (byte[])good.Clone();
        alteredDescriptor[4] ^= 0xFF;

        foreach (byte[] request in new[] { zero, moreThanSent, tooMany, trailing, alteredDescriptor, good[..^1] })
        {
            Assert.Equal(KeysetSignerStatus.Malformed, Status(await _service.HandleAsync(request, CancellationToken.None)));
        }
    }

    [Fact]
    public async Task MessagesOfTheWrongLengthOrOutOfRangeAreInvalidMessage()
    {
        byte[] modulus = ProtocolKeys.Rsa2048.PublicKey.ExportModulus();
        BlindedMessage[] bad = [Message(5, 255), Message(5, 257), BlindedMessage.FromBytes(modulus), BlindedMessage.FromBytes(new byte[256]), BlindedMessage.FromBytes(Enumerable.Repeat((byte)0xFF, 256).ToArray())];

        foreach (var message in bad)
        {
            Assert.Equal(KeysetSignerStatus.InvalidMessage, Status(await _service.HandleAsync(KeysetSignerProtocol.EncodeSign(_descriptor, [Message(5), message]), CancellationToken.None)));
        }
    }

    [Fact]
    public async Task AGeneratedKeyIsFiledUnderTheKeysetMadeOfItsPublicKeyAndSignsForIt()
    {
        byte[] generated = await _service.HandleAsync(KeysetSignerProtocol.EncodeGenerate(BlindRsaScheme.Rsabssa, 2048), CancellationToken.None);
        byte[] publicKey = ReadPublicKey(generated);
        var descriptor = KeyCustodyWorld.Parameters(epoch: 4).Describe(publicKey);
        Assert.Null(await _store.TryLoadAsync(descriptor.Id, CancellationToken.None));

        byte[] filed = await _service.HandleAsync(KeysetSignerProtocol.EncodeDescriptor(KeysetSignerOperation.File, descriptor), CancellationToken.None);
        byte[] again = await _service.HandleAsync(KeysetSignerProtocol.EncodeDescriptor(KeysetSignerOperation.File, descriptor), CancellationToken.None);

        Assert.Equal(generated, filed);
        Assert.Equal(generated, again);
        var key = await _store.TryLoadAsync(descriptor.Id, CancellationToken.None);
        Assert.NotNull(key);
        Assert.Equal(publicKey, key.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(KeysetSignerStatus.Ok, Status(await _service.HandleAsync(KeysetSignerProtocol.EncodeSign(descriptor, [Message(9)]), CancellationToken.None)));
    }

    [Fact]
    public async Task AMalformedFrameIsAnsweredAndTheConnectionGoesOn()
    {
        byte[] script = [.. Frame([0x01, 0x09]), .. Frame(KeysetSignerProtocol.EncodeDescriptor(KeysetSignerOperation.PublicKey, _descriptor))];
        using var connection = new ScriptedConnection(script);

        await _service.ServeAsync(connection, CancellationToken.None);

        var responses = connection.Responses();
        Assert.Equal(2, responses.Count);
        Assert.Equal(KeysetSignerStatus.UnknownOperation, Status(responses[0]));
        Assert.Equal(KeysetSignerStatus.Ok, Status(responses[1]));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(KeysetSignerProtocol.MaxFrameLength + 1u)]
    [InlineData(uint.MaxValue)]
    public async Task AFrameOfAnImpossibleLengthIsRefusedAndTheConnectionClosed(uint length)
    {
        byte[] header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, length);
        using var connection = new ScriptedConnection([.. header, .. Frame(KeysetSignerProtocol.EncodeDescriptor(KeysetSignerOperation.PublicKey, _descriptor))]);

        await _service.ServeAsync(connection, CancellationToken.None);

        var response = Assert.Single(connection.Responses());
        Assert.Equal(KeysetSignerStatus.FrameTooLarge, Status(response));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public async Task AConnectionThatEndsInsideAFrameEndsQuietly(int sent)
    {
        byte[] frame = Frame(KeysetSignerProtocol.EncodeDescriptor(KeysetSignerOperation.PublicKey, _descriptor));
        using var connection = new ScriptedConnection(frame[..sent]);

        await _service.ServeAsync(connection, CancellationToken.None);

        Assert.Empty(connection.Responses());
    }

    [Fact]
    public void AnErrorAnswerCarriesNothingButItsStatus()
    {
        byte[] error = KeysetSignerProtocol.EncodeError(KeysetSignerStatus.UnknownKeyset);

        Assert.Equal([KeysetSignerProtocol.Version, (byte)KeysetSignerStatus.UnknownKeyset], error);
        Assert.Throws<ProtocolFormatException>(() => Status([.. error, 0]));
        Assert.Throws<ProtocolFormatException>(() => Status([KeysetSignerProtocol.Version, 200]));
        Assert.Throws<ProtocolFormatException>(() => Status([2, 0]));
    }

    [Fact]
    public void AnAnswerWithAnotherNumberOrLengthOfSignaturesIsMalformed()
    {
        var signature = new BlindRsaSigner(ProtocolKeys.Rsa2048).BlindSign(Message(5));
        byte[] one = KeysetSignerProtocol.EncodeSignatures([signature]);

        Assert.Throws<ProtocolFormatException>(() => ReadSignatures(one, 2, 256));
        Assert.Throws<ProtocolFormatException>(() => ReadSignatures(one, 1, 384));
        Assert.Throws<ProtocolFormatException>(() => ReadSignatures([.. one, 0], 1, 256));
        Assert.Single(ReadSignatures(one, 1, 256));
    }

    public void Dispose()
    {
        _service.Dispose();
        _store.Dispose();
    }

    private static BlindedMessage Message(byte last, int length = 256)
    {
        byte[] bytes = new byte[length];
        bytes[^1] = last;
        bytes[1] = 0x42;
        return BlindedMessage.FromBytes(bytes);
    }

    private static byte[] Frame(byte[] body)
    {
        byte[] frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)body.Length);
        body.CopyTo(frame, 4);
        return frame;
    }

    private static KeysetSignerStatus Status(byte[] response)
    {
        var reader = new ProtocolReader(response);
        return KeysetSignerProtocol.ReadStatus(ref reader);
    }

    private static byte[] ReadPublicKey(byte[] response)
    {
        var reader = new ProtocolReader(response);
        Assert.Equal(KeysetSignerStatus.Ok, KeysetSignerProtocol.ReadStatus(ref reader));
        return KeysetSignerProtocol.ReadPublicKey(ref reader);
    }

    private static BlindSignature[] ReadSignatures(byte[] response, int count, int length)
    {
        var reader = new ProtocolReader(response);
        Assert.Equal(KeysetSignerStatus.Ok, KeysetSignerProtocol.ReadStatus(ref reader));
        return KeysetSignerProtocol.ReadSignatures(ref reader, count, length);
    }
}
