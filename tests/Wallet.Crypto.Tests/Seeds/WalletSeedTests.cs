using FsCheck;
using FsCheck.Fluent;
using Wallet.Crypto.Seeds;

namespace Wallet.Crypto.Tests.Seeds;

public sealed class WalletSeedTests
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private static Arbitrary<byte[]> Seeds => Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(WalletSeed.Length).ToArbitrary();

    // Expected codes computed by an independent Python implementation of docs/derivation.md section 5 (table-based
    // field arithmetic and polynomial long division, unlike the library).
    [Theory]
    [InlineData("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "000G-40R4-0M30-E209-185G-R38E-1W81-24GK-2GAH-C5RR-34D1-P70X-3RFH-KE5G")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0001-0302")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZH-0F01")]
    [InlineData("c6789c9026f5ba22090e1c9d58ad5a818aa37fdc0dbcec80dd80c0812ba7955b", "RSW9-S416-YPX2-428E-3JEN-HBAT-G65A-6ZYW-1PYE-S06X-G308-2AX7-JNDH-7VZF")]
    public void BackupCodeMatchesVector(string seedHex, string code)
    {
        using var seed = WalletSeed.FromBytes(Convert.FromHexString(seedHex));

        Assert.Equal(code, seed.ToBackupCode());
        using var parsed = WalletSeed.ParseBackupCode(code);
        Assert.True(seed.SecretEquals(parsed));
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property BackupCodeRoundTrips() => Prop.ForAll(Seeds, bytes =>
    {
        using var seed = WalletSeed.FromBytes(bytes);
        using var parsed = WalletSeed.ParseBackupCode(seed.ToBackupCode());
        var copy = new byte[WalletSeed.Length];
        parsed.CopyTo(copy);
        return copy.AsSpan().SequenceEqual(bytes);
    });

    [Fact]
    public void BackupCodeIsCaseInsensitiveAndIgnoresSpacesHyphensAndLookAlikes()
    {
        using var seed = WalletSeed.FromBytes(Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
        string code = seed.ToBackupCode();
        string sloppy = " " + code.ToLowerInvariant().Replace("-", "  ", StringComparison.Ordinal).Replace('0', 'o').Replace('1', 'l') + "\n";
        string joined = code.Replace("-", string.Empty, StringComparison.Ordinal).Replace('1', 'I');
        string regrouped = string.Join('-', joined.Chunk(7).Select(c => new string(c)));

        foreach (string variant in new[] { sloppy, joined, regrouped })
        {
            using var parsed = WalletSeed.ParseBackupCode(variant);
            Assert.True(seed.SecretEquals(parsed), variant);
        }
    }

    [Fact]
    public void EverySingleSubstitutionAndAdjacentTranspositionIsDetected()
    {
        // Exhaustive for fixed sample seeds: 56 positions x 31 wrong symbols, and all 55 adjacent swaps.
        foreach (string hex in new[] { "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "c6789c9026f5ba22090e1c9d58ad5a818aa37fdc0dbcec80dd80c0812ba7955b" })
        {
            AssertAllTyposDetected(Convert.FromHexString(hex));
        }
    }

    [FsCheck.Xunit.Property(MaxTest = 15)]
    public Property TyposAreDetectedForAnySeed() => Prop.ForAll(Seeds, bytes =>
    {
        AssertAllTyposDetected(bytes);
        return true;
    });

    private static void AssertAllTyposDetected(byte[] bytes)
    {
        using var seed = WalletSeed.FromBytes(bytes);
        char[] symbols = seed.ToBackupCode().Replace("-", string.Empty, StringComparison.Ordinal).ToCharArray();
        Assert.Equal(56, symbols.Length);
        int substitutions = 0, transpositions = 0;
        for (int i = 0; i < symbols.Length; i++)
        {
            foreach (char other in Alphabet)
            {
                if (other == symbols[i])
                {
                    continue;
                }

                char[] typo = (char[])symbols.Clone();
                typo[i] = other;
                AssertRejectedAsChecksumMismatch(typo, $"substitution at {i}");
                substitutions++;
            }
        }

        for (int i = 0; i + 1 < symbols.Length; i++)
        {
            if (symbols[i] == symbols[i + 1])
            {
                continue;
            }

            char[] typo = (char[])symbols.Clone();
            (typo[i], typo[i + 1]) = (typo[i + 1], typo[i]);
            AssertRejectedAsChecksumMismatch(typo, $"transposition at {i}");
            transpositions++;
        }

        Assert.Equal(56 * 31, substitutions);
        Assert.True(transpositions > 0);
    }

    private static void AssertRejectedAsChecksumMismatch(char[] code, string what)
    {
        bool parsed = WalletSeed.TryParseBackupCode(code, out var seed, out var error);
        seed?.Dispose();
        Assert.False(parsed, what);
        Assert.Equal(SeedFormatError.ChecksumMismatch, error);
    }

    [Theory]
    [InlineData("", SeedFormatError.Empty, -1)]
    [InlineData(" - -\t", SeedFormatError.Empty, -1)]
    [InlineData("000G-40R4-0M30-E209-185G-R38E-1W81-24GK-2GAH-C5RR-34D1-P70X-3RFH-KE5", SeedFormatError.WrongLength, -1)]
    [InlineData("000G-40R4-0M30-E209-185G-R38E-1W81-24GK-2GAH-C5RR-34D1-P70X-3RFH-KE5G4", SeedFormatError.WrongLength, -1)]
    [InlineData("000G-40R4-0M30-E209-185G-R38E-1W81-24GK-2GAH-C5RR-34D1-P70X-3RFH-KE5H", SeedFormatError.ChecksumMismatch, -1)]
    [InlineData("000G-40R4-0M30-E209-185G-R38E-1W81-24GK-2GAH-C5RR-34D1-P70X-3RFH-KE5U", SeedFormatError.InvalidCharacter, 68)]
    [InlineData("000G_40R4-0M30-E209-185G-R38E-1W81-24GK-2GAH-C5RR-34D1-P70X-3RFH-KE5G", SeedFormatError.InvalidCharacter, 4)]
    [InlineData("000G-40R4-0M30-E209-185G-R38E-1W81-24GK-2GAH-C5RR-34D1-P70X-3RFH-KE5G\u00e9", SeedFormatError.InvalidCharacter, 69)]
    public void MalformedCodeIsRejectedWithTypedError(string code, SeedFormatError expected, int position)
    {
        Assert.False(WalletSeed.TryParseBackupCode(code, out var seed, out var error));
        Assert.Null(seed);
        Assert.Equal(expected, error);

        var ex = Assert.Throws<SeedFormatException>(() => WalletSeed.ParseBackupCode(code));
        Assert.Equal(expected, ex.Error);
        Assert.Equal(position, ex.Position);
        AssertMessageDoesNotEcho(ex.Message, code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(15)]
    public void CodeWithUnknownVersionIsRejected(int version)
    {
        // Set the version nibble and recompute the check symbols, as another format version would.
        using var seed = WalletSeed.FromBytes(new byte[WalletSeed.Length]);
        byte[] characters = [.. seed.ToBackupCode().Replace("-", string.Empty, StringComparison.Ordinal).Select(c => (byte)Alphabet.IndexOf(c, StringComparison.Ordinal))];
        characters[51] = (byte)((characters[51] & 0x10) | version);
        int[] symbols = [.. Enumerable.Range(0, BackupCode.DataSymbols).Select(j => (characters[2 * j] << 5) | characters[(2 * j) + 1])];
        BackupCode.ComputeCheckSymbols(symbols, out int high, out int low);
        characters[52] = (byte)(high >> 5);
        characters[53] = (byte)(high & 31);
        characters[54] = (byte)(low >> 5);
        characters[55] = (byte)(low & 31);
        string code = new([.. characters.Select(s => Alphabet[s])]);

        var ex = Assert.Throws<SeedFormatException>(() => WalletSeed.ParseBackupCode(code));
        Assert.Equal(SeedFormatError.UnsupportedVersion, ex.Error);
    }

    [Fact]
    public void PreReleaseVersionZeroCodeIsRecognisedAndRejected()
    {
        // The seed 000102…1f under the pre-release format 0 (weighted-sum checksum), from an earlier docs/derivation.md.
        const string VersionZero = "000G-40R4-0M30-E209-185G-R38E-1W81-24GK-2GAH-C5RR-34D1-P70X-3RFG-0F34";

        Assert.False(WalletSeed.TryParseBackupCode(VersionZero, out var seed, out var error));
        Assert.Null(seed);
        Assert.Equal(SeedFormatError.UnsupportedVersion, error);
    }

    [Fact]
    public void ChecksumErrorMessageDoesNotEchoTheCode()
    {
        const string Code = "RSW9-S416-YPX2-428E-3JEN-HBAT-G65A-6ZYW-1PYE-S06X-G308-2AX7-JNDH-7VZG";

        var ex = Assert.Throws<SeedFormatException>(() => WalletSeed.ParseBackupCode(Code));

        Assert.Equal(SeedFormatError.ChecksumMismatch, ex.Error);
        AssertMessageDoesNotEcho(ex.Message, Code);
    }

    private static void AssertMessageDoesNotEcho(string message, string code)
    {
        foreach (string group in code.Split('-', ' '))
        {
            if (group.Length >= 4)
            {
                Assert.DoesNotContain(group, message, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void GeneratedSeedsDifferAndRoundTripThroughBytes()
    {
        using var a = WalletSeed.Generate();
        using var b = WalletSeed.Generate();
        var bytes = new byte[WalletSeed.Length];
        a.CopyTo(bytes);
        using var copy = WalletSeed.FromBytes(bytes);

        Assert.False(a.SecretEquals(b));
        Assert.True(a.SecretEquals(copy));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void FromBytesWithWrongLengthThrows(int length)
    {
        var ex = Assert.Throws<ArgumentException>(() => WalletSeed.FromBytes(new byte[length]));
        Assert.Equal("seed", ex.ParamName);
    }

    [Fact]
    public void CopyToWrongLengthThrows()
    {
        using var seed = WalletSeed.Generate();

        var ex = Assert.Throws<ArgumentException>(() => seed.CopyTo(new byte[31]));
        Assert.Equal("destination", ex.ParamName);
    }

    [Fact]
    public void SecretEqualsNullThrows()
    {
        using var seed = WalletSeed.Generate();

        var ex = Assert.Throws<ArgumentNullException>(() => seed.SecretEquals(null!));
        Assert.Equal("other", ex.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void DeriveCoinWithBadKeysetIdLengthThrows(int length)
    {
        using var seed = WalletSeed.Generate();

        var ex = Assert.Throws<ArgumentException>(() => seed.DeriveCoin(new byte[length], 0));
        Assert.Equal("keysetId", ex.ParamName);
    }

    [Fact]
    public void DisposedSeedRefusesEveryUse()
    {
        var seed = WalletSeed.Generate();
        using var other = WalletSeed.Generate();
        seed.Dispose();

        Assert.Throws<ObjectDisposedException>(() => seed.ToBackupCode());
        Assert.Throws<ObjectDisposedException>(() => seed.CopyTo(new byte[WalletSeed.Length]));
        Assert.Throws<ObjectDisposedException>(() => seed.DeriveCoin(new byte[32], 0));
        Assert.Throws<ObjectDisposedException>(() => seed.SecretEquals(other));
        Assert.Throws<ObjectDisposedException>(() => other.SecretEquals(seed));
        seed.Dispose();
    }
}
