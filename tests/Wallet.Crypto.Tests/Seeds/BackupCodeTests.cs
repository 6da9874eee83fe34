using Wallet.Crypto.Seeds;
using Xunit.Abstractions;

namespace Wallet.Crypto.Tests.Seeds;

/// <summary>The error-detection claims of docs/derivation.md section 5, checked by brute force.</summary>
public sealed class BackupCodeTests(ITestOutputHelper output)
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const string SampleSeed = "c6789c9026f5ba22090e1c9d58ad5a818aa37fdc0dbcec80dd80c0812ba7955b";

    [Fact]
    public void FieldPolynomialIsPrimitive()
    {
        // α has order 1023 = 3 · 11 · 31 exactly when α^1023 = 1 and no α^(1023/q) is 1 for the prime factors q.
        Assert.Equal(1, AlphaPower(1023));
        Assert.NotEqual(1, AlphaPower(341));
        Assert.NotEqual(1, AlphaPower(93));
        Assert.NotEqual(1, AlphaPower(33));
    }

    [Fact]
    public void MultiplyIsCommutativeDistributiveAndHasInverses()
    {
        for (int a = 0; a < 1024; a += 7)
        {
            for (int b = 0; b < 1024; b += 13)
            {
                Assert.Equal(BackupCode.Multiply(a, b), BackupCode.Multiply(b, a));
                Assert.Equal(BackupCode.Multiply(a, b ^ 0x2A5), BackupCode.Multiply(a, b) ^ BackupCode.Multiply(a, 0x2A5));
            }

            // a · a^1022 = a^1023 = 1 for every non-zero a.
            int inverse = 1;
            for (int i = 0; i < 1022; i++)
            {
                inverse = BackupCode.Multiply(inverse, a);
            }

            Assert.Equal(a == 0 ? 0 : 1, BackupCode.Multiply(a, inverse));
        }
    }

    [Fact]
    public void EveryPairOfSubstitutionsIsDetected()
    {
        // Exhaustive for one seed: C(56, 2) position pairs × 31 × 31 wrong characters = 1,479,940 codes.
        char[] code = Characters(SampleSeed);
        Span<byte> seed = stackalloc byte[WalletSeed.Length];
        long checkedCodes = 0;
        for (int i = 0; i < code.Length; i++)
        {
            char originalI = code[i];
            for (int j = i + 1; j < code.Length; j++)
            {
                char originalJ = code[j];
                foreach (char a in Alphabet)
                {
                    if (a == originalI)
                    {
                        continue;
                    }

                    code[i] = a;
                    foreach (char b in Alphabet)
                    {
                        if (b == originalJ)
                        {
                            continue;
                        }

                        code[j] = b;
                        AssertRejected(BackupCode.TryDecode(code, seed, out _), i, j);
                        checkedCodes++;
                    }
                }

                code[j] = originalJ;
            }

            code[i] = originalI;
        }

        Assert.Equal(56 * 55 / 2 * 31 * 31, checkedCodes);
    }

    [Fact]
    public void EveryErrorWithinThreeConsecutiveCharactersIsDetected()
    {
        // Three consecutive characters span at most two 10-bit symbols: every one of the 32^3 - 1 changes is caught.
        char[] code = Characters("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        char[] original = (char[])code.Clone();
        Span<byte> seed = stackalloc byte[WalletSeed.Length];
        for (int start = 0; start + 3 <= code.Length; start++)
        {
            for (int pattern = 1; pattern < 32 * 32 * 32; pattern++)
            {
                for (int k = 0; k < 3; k++)
                {
                    int value = (Alphabet.IndexOf(original[start + k], StringComparison.Ordinal) + (pattern >> (5 * k))) & 31;
                    code[start + k] = Alphabet[value];
                }

                AssertRejected(BackupCode.TryDecode(code, seed, out _), start, start + 2);
            }

            original.AsSpan(start, 3).CopyTo(code.AsSpan(start));
        }
    }

    [Fact]
    public void RandomErrorsPassAtAboutTwoToTheMinusTwenty()
    {
        // Three to ten random characters replaced by different random ones. Patterns touching at most two symbols
        // always fail; the others pass with probability about 2^-20, so a million trials expect about one miss.
        // (The pre-release weighted-sum checksum let about 1 in 900 of these through.)
        const int Trials = 1_000_000;
        var random = new Random(20261123);
        char[] valid = Characters(SampleSeed);
        char[] code = new char[valid.Length];
        Span<byte> seed = stackalloc byte[WalletSeed.Length];
        int undetected = 0;
        for (int trial = 0; trial < Trials; trial++)
        {
            valid.CopyTo(code, 0);
            int errors = random.Next(3, 11);
            for (int e = 0; e < errors; e++)
            {
                int at = random.Next(code.Length);
                code[at] = Alphabet[(Alphabet.IndexOf(valid[at], StringComparison.Ordinal) + random.Next(1, 32)) & 31];
            }

            if (BackupCode.TryDecode(code, seed, out _) is not SeedFormatError.ChecksumMismatch and not SeedFormatError.UnsupportedVersion)
            {
                undetected++;
            }
        }

        output.WriteLine($"{undetected} of {Trials} random multi-character errors undetected (2^-20 would be {Trials / 1048576.0:F2}).");

        // Poisson with mean ≈ 0.95: more than 8 misses has probability below 10^-6 for the code as specified.
        Assert.InRange(undetected, 0, 8);
    }

    private static int AlphaPower(int exponent)
    {
        int result = 1;
        for (int i = 0; i < exponent; i++)
        {
            result = BackupCode.Multiply(result, 2);
        }

        return result;
    }

    private static char[] Characters(string seedHex)
    {
        using var seed = WalletSeed.FromBytes(Convert.FromHexString(seedHex));
        return seed.ToBackupCode().Replace("-", string.Empty, StringComparison.Ordinal).ToCharArray();
    }

    private static void AssertRejected(SeedFormatError error, int first, int second)
    {
        // A changed version nibble with a valid check would be UnsupportedVersion; with distance 3 it cannot happen.
        if (error != SeedFormatError.ChecksumMismatch)
        {
            Assert.Fail($"Error at characters {first} and {second} gave {error}.");
        }
    }
}
