using System.Buffers.Binary;
using System.Text;
using Wallet.Crypto.SealedFiles;

namespace Wallet.Crypto.Tests.SealedFiles;

public sealed class SealedFileTests
{
    // Cheap on purpose: these tests run Argon2id hundreds of times.
    internal static readonly SealedFileParameters Cheap = new(64, 1);

    private static readonly byte[] Content = Encoding.UTF8.GetBytes("{\"seed\":\"...\",\"coins\":[1,2,3]}");

    [Fact]
    public void OpenReturnsWhatWasSealed()
    {
        byte[] sealedData = SealedFile.Seal(Content, "correct horse", Cheap);

        Assert.Equal(SealedFile.HeaderLength + Content.Length + SealedFile.TagLength, sealedData.Length);
        Assert.Equal(Content, SealedFile.Open(sealedData, "correct horse"));
    }

    [Fact]
    public void DefaultParametersRoundTrip()
    {
        byte[] sealedData = SealedFile.Seal(Content, "correct horse");

        Assert.Equal(65536u, BinaryPrimitives.ReadUInt32BigEndian(sealedData.AsSpan(10)));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32BigEndian(sealedData.AsSpan(14)));
        Assert.Equal(Content, SealedFile.Open(sealedData, "correct horse"));
    }

    [FsCheck.Xunit.Property(MaxTest = 30)]
    public FsCheck.Property AnyContentAndPassphraseRoundTrip() => FsCheck.Fluent.Prop.ForAll(
        FsCheck.Fluent.ArbMap.Default.ArbFor<byte[]>(),
        FsCheck.Fluent.ArbMap.Default.ArbFor<FsCheck.NonEmptyString>(),
        (content, passphrase) =>
        {
            // Strings with unpaired surrogates are rejected up front (PassphraseWithUnpairedSurrogateThrows).
            string text = passphrase.Get;
            try
            {
                text.Normalize();
            }
            catch (ArgumentException)
            {
                return true;
            }

            return SealedFile.Open(SealedFile.Seal(content, text, Cheap), text).AsSpan().SequenceEqual(content);
        });

    [Fact]
    public void OversizedDataIsRejectedBeforeDerivation()
    {
        byte[] sealedData = new byte[SealedFile.HeaderLength + SealedFile.MaxPlaintextLength + SealedFile.TagLength + 1];
        SealedFile.Seal([], "pw", Cheap).AsSpan(0, SealedFile.HeaderLength).CopyTo(sealedData);

        Assert.Equal(SealedFileError.TooLarge, Assert.Throws<SealedFileException>(() => SealedFile.Open(sealedData, "pw")).Error);
        Assert.Equal("plaintext", Assert.Throws<ArgumentException>(() => SealedFile.Seal(sealedData.AsSpan(0, SealedFile.MaxPlaintextLength + 1), "pw", Cheap)).ParamName);
    }

    [Fact]
    public void EmptyContentRoundTrips()
    {
        byte[] sealedData = SealedFile.Seal([], "pw", Cheap);

        Assert.Empty(SealedFile.Open(sealedData, "pw"));
    }

    [Fact]
    public void HeaderHasTheDocumentedLayout()
    {
        byte[] salt = Enumerable.Range(0, 16).Select(i => (byte)i).ToArray();
        byte[] nonce = Enumerable.Range(100, 24).Select(i => (byte)i).ToArray();

        byte[] sealedData = SealedFile.Seal(Content, "pw", new SealedFileParameters(1000, 2), salt, nonce);

        Assert.Equal(
            "5743534541 4c 0001 01 01 000003e8 00000002 00000001".Replace(" ", string.Empty, StringComparison.Ordinal) + Convert.ToHexStringLower(salt) + Convert.ToHexStringLower(nonce),
            Convert.ToHexStringLower(sealedData.AsSpan(0, SealedFile.HeaderLength)));
        Assert.Equal(Content, SealedFile.Open(sealedData, "pw"));
    }

    [Fact]
    public void EachSealUsesFreshSaltAndNonce()
    {
        byte[] a = SealedFile.Seal(Content, "pw", Cheap);
        byte[] b = SealedFile.Seal(Content, "pw", Cheap);

        Assert.False(a.AsSpan(22, 40).SequenceEqual(b.AsSpan(22, 40)));
        Assert.False(a.AsSpan(SealedFile.HeaderLength).SequenceEqual(b.AsSpan(SealedFile.HeaderLength)));
    }

    [Theory]
    [InlineData("correct horse ")]
    [InlineData("Correct horse")]
    [InlineData("")]
    public void WrongPassphraseFailsAuthentication(string wrong)
    {
        byte[] sealedData = SealedFile.Seal(Content, "correct horse", Cheap);

        var ex = Assert.Throws<SealedFileException>(() => SealedFile.Open(sealedData, wrong));
        Assert.Equal(SealedFileError.AuthenticationFailed, ex.Error);
        Assert.DoesNotContain("horse", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PassphraseIsComparedAfterUnicodeNormalization()
    {
        byte[] sealedData = SealedFile.Seal(Content, "caf\u00e9", Cheap);

        Assert.Equal(Content, SealedFile.Open(sealedData, "cafe\u0301"));
    }

    [Fact]
    public void AlteringAnyByteIsATypedError()
    {
        byte[] sealedData = SealedFile.Seal(Content, "pw", Cheap);
        foreach (byte flip in new byte[] { 0x01, 0x80 })
        {
            for (int i = 0; i < sealedData.Length; i++)
            {
                byte[] altered = (byte[])sealedData.Clone();
                altered[i] ^= flip;

                var ex = Assert.Throws<SealedFileException>(() => SealedFile.Open(altered, "pw"));
                Assert.True(Enum.IsDefined(ex.Error), $"byte {i}");
            }
        }
    }

    [Fact]
    public void TruncationAtAnyLengthIsATypedError()
    {
        byte[] sealedData = SealedFile.Seal(Content, "pw", Cheap);
        for (int length = 0; length < sealedData.Length; length++)
        {
            var ex = Assert.Throws<SealedFileException>(() => SealedFile.Open(sealedData.AsSpan(0, length), "pw"));
            SealedFileError expected = length < 6 ? SealedFileError.NotASealedFile
                : length < SealedFile.HeaderLength + SealedFile.TagLength ? SealedFileError.Truncated
                : SealedFileError.AuthenticationFailed;
            Assert.Equal(expected, ex.Error);
        }
    }

    [Fact]
    public void AppendedBytesFailAuthentication()
    {
        byte[] sealedData = [.. SealedFile.Seal(Content, "pw", Cheap), 0];

        Assert.Equal(SealedFileError.AuthenticationFailed, Assert.Throws<SealedFileException>(() => SealedFile.Open(sealedData, "pw")).Error);
    }

    [Theory]
    [InlineData(10, 0x00_00_00_07u, SealedFileError.ParametersOutOfBounds)]      // 7 KiB: below Argon2's minimum
    [InlineData(10, 0x06_40_00_00u, SealedFileError.ParametersOutOfBounds)]      // 100 GiB
    [InlineData(10, 0x00_10_00_01u, SealedFileError.ParametersOutOfBounds)]      // 1 GiB + 1 KiB
    [InlineData(14, 0u, SealedFileError.ParametersOutOfBounds)]
    [InlineData(14, 17u, SealedFileError.ParametersOutOfBounds)]
    [InlineData(14, uint.MaxValue, SealedFileError.ParametersOutOfBounds)]
    [InlineData(18, 4u, SealedFileError.ParametersOutOfBounds)]
    public void HostileKdfParametersAreRejectedBeforeDerivation(int offset, uint value, SealedFileError expected)
    {
        byte[] sealedData = SealedFile.Seal(Content, "pw", Cheap);
        BinaryPrimitives.WriteUInt32BigEndian(sealedData.AsSpan(offset), value);

        var ex = Assert.Throws<SealedFileException>(() => SealedFile.Open(sealedData, "pw"));
        Assert.Equal(expected, ex.Error);
    }

    [Theory]
    [InlineData(0, "58", SealedFileError.NotASealedFile)]
    [InlineData(7, "02", SealedFileError.UnsupportedVersion)]
    [InlineData(6, "01", SealedFileError.UnsupportedVersion)]
    [InlineData(8, "02", SealedFileError.UnsupportedAlgorithm)]
    [InlineData(9, "00", SealedFileError.UnsupportedAlgorithm)]
    public void UnknownFormatsAreRejected(int offset, string hex, SealedFileError expected)
    {
        byte[] sealedData = SealedFile.Seal(Content, "pw", Cheap);
        Convert.FromHexString(hex).CopyTo(sealedData, offset);

        Assert.Equal(expected, Assert.Throws<SealedFileException>(() => SealedFile.Open(sealedData, "pw")).Error);
    }

    [Fact]
    public void SealWithNullOrEmptyPassphraseThrows()
    {
        Assert.Equal("passphrase", Assert.Throws<ArgumentNullException>(() => SealedFile.Seal(Content, null!, Cheap)).ParamName);
        Assert.Equal("passphrase", Assert.Throws<ArgumentException>(() => SealedFile.Seal(Content, string.Empty, Cheap)).ParamName);
        Assert.Equal("passphrase", Assert.Throws<ArgumentNullException>(() => SealedFile.Open(SealedFile.Seal(Content, "pw", Cheap), null!)).ParamName);
    }

    [Fact]
    public void PassphraseWithUnpairedSurrogateThrows()
    {
        byte[] sealedData = SealedFile.Seal(Content, "pw", Cheap);

        Assert.Equal("passphrase", Assert.Throws<ArgumentException>(() => SealedFile.Seal(Content, "pw\ud800", Cheap)).ParamName);
        Assert.Equal("passphrase", Assert.Throws<ArgumentException>(() => SealedFile.Open(sealedData, "\udc00pw")).ParamName);
    }

    [Theory]
    [InlineData(7, 1, "memoryKiB")]
    [InlineData(1024 * 1024 + 1, 1, "memoryKiB")]
    [InlineData(8, 0, "iterations")]
    [InlineData(8, 17, "iterations")]
    public void ParametersOutOfBoundsThrow(int memory, int iterations, string parameter)
    {
        Assert.Equal(parameter, Assert.Throws<ArgumentOutOfRangeException>(() => new SealedFileParameters(memory, iterations)).ParamName);
    }

    [Fact]
    public void DefaultParametersAreSound()
    {
        Assert.True(SealedFileParameters.Default.MemoryKiB >= 64 * 1024);
        Assert.True(SealedFileParameters.Default.Iterations >= 3);
        Assert.Equal("Argon2id(m=65536KiB, t=3, p=1)", SealedFileParameters.Default.ToString());
    }

    [Theory]
    [InlineData(256 * 1024 + 1, 1)]
    [InlineData(SealedFileParameters.MaxMemoryKiB, 1)]
    [InlineData(64, 9)]
    [InlineData(64, SealedFileParameters.MaxIterations)]
    public void HeaderAboveTheDefaultMaximumIsRefusedBeforeDerivation(int memoryKiB, int iterations)
    {
        // Only the header is changed, so an attempted derivation would end in AuthenticationFailed (after a gigabyte).
        byte[] sealedData = SealedFile.Seal(Content, "pw", Cheap);
        BinaryPrimitives.WriteUInt32BigEndian(sealedData.AsSpan(10), (uint)memoryKiB);
        BinaryPrimitives.WriteUInt32BigEndian(sealedData.AsSpan(14), (uint)iterations);

        var ex = Assert.Throws<SealedFileException>(() => SealedFile.Open(sealedData, "pw"));

        Assert.Equal(SealedFileError.ParametersOutOfBounds, ex.Error);
    }

    [Fact]
    public void DefaultMaximumIsTheDocumentedCost()
    {
        Assert.Equal(256 * 1024, SealedFileParameters.DefaultMaximum.MemoryKiB);
        Assert.Equal(8, SealedFileParameters.DefaultMaximum.Iterations);
    }

    [Fact]
    public void OpenWithNullMaximumThrows()
    {
        byte[] sealedData = SealedFile.Seal(Content, "pw", Cheap);

        Assert.Throws<ArgumentNullException>("maximum", () => SealedFile.Open(sealedData, "pw", null!));
    }
}
