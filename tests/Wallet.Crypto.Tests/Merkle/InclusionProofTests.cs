using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wallet.Crypto.Merkle;
using Wallet.Storage.Testing;
using static Wallet.Storage.Testing.MerkleTestLog;

namespace Wallet.Crypto.Tests.Merkle;

public sealed class InclusionProofTests
{
    private static readonly Arbitrary<(int Size, int Past, int Seed)> Trees =
        (from size in Gen.Choose(0, 300)
         from past in Gen.Choose(0, size)
         from seed in Gen.Choose(0, 1_000_000)
         select (size, past, seed)).ToArbitrary();

    private static readonly Arbitrary<(int Size, int Index, int Kind, int Noise, int Seed)> Alterations =
        (from size in Gen.Choose(1, 300)
         from index in Gen.Choose(0, size - 1)
         from kind in Gen.Choose(0, 7)
         from noise in Gen.Choose(0, int.MaxValue)
         from seed in Gen.Choose(0, 1_000_000)
         select (size, index, kind, noise, seed)).ToArbitrary();

    [Property(MaxTest = 40)]
    public Property EveryLeafHasAProofEqualToTheReferencePathThatVerifies() =>
        Prop.ForAll(Trees, t =>
        {
            MerkleLog log = Build(t.Seed, t.Size);
            ReferenceMerkleTree reference = Reference(t.Seed);
            foreach (int size in new[] { t.Size, t.Past })
            {
                MerkleHash root = Run(log.GetRootAsync((ulong)size));
                if (!root.ToArray().AsSpan().SequenceEqual(reference.Mth(0, size)))
                {
                    return false;
                }

                for (int i = 0; i < size; i++)
                {
                    InclusionProof proof = Run(log.GetInclusionProofAsync((ulong)i, (ulong)size));
                    if (!proof.AuditPath.AsSpan().SequenceEqual(Hashes(reference.Path(i, 0, size))) ||
                        !proof.Verify(LeafHash(t.Seed, i), root))
                    {
                        return false;
                    }
                }
            }

            return true;
        });

    [Property(MaxTest = 150)]
    public Property AnyAlteredHashIndexOrSizeFailsVerification() =>
        Prop.ForAll(Alterations, a =>
        {
            int logSize = a.Size + 40;
            MerkleLog log = Build(a.Seed, logSize);
            ulong size = (ulong)a.Size;
            ulong index = (ulong)a.Index;
            MerkleHash root = Run(log.GetRootAsync(size));
            MerkleHash leaf = LeafHash(a.Seed, a.Index);
            InclusionProof proof = Run(log.GetInclusionProofAsync(index, size));
            SignedTreeHead head = MerkleTestKeys.Head(size, root);
            if (!proof.Verify(leaf, root) || !proof.Verify(leaf, head))
            {
                return false;
            }

            MerkleHash[] path = [.. proof.AuditPath];
            switch (a.Kind)
            {
                case 0 when path.Length > 0:
                    path[a.Noise % path.Length] = Flip(path[a.Noise % path.Length], a.Noise);
                    return !new InclusionProof(index, size, path).Verify(leaf, root);
                case 1 when size > 1:
                    ulong otherIndex = (index + 1 + ((ulong)a.Noise % (size - 1))) % size;
                    return !new InclusionProof(otherIndex, size, path).Verify(leaf, root);
                case 2:
                    // The claimed size is checked against the signed head, and against the other size's own root.
                    ulong otherSize = index + 1 + ((ulong)a.Noise % (ulong)(logSize - a.Index));
                    if (otherSize == size)
                    {
                        otherSize = size + 1;
                    }

                    var resized = new InclusionProof(index, otherSize, path);
                    return !resized.Verify(leaf, head) && !resized.Verify(leaf, Run(log.GetRootAsync(otherSize)));
                case 3:
                    return !proof.Verify(Flip(leaf, a.Noise), root);
                case 4:
                    return !proof.Verify(leaf, Flip(root, a.Noise));
                case 5 when path.Length > 0:
                    return !new InclusionProof(index, size, path.AsSpan(0, path.Length - 1)).Verify(leaf, root);
                case 6:
                    return !new InclusionProof(index, size, [.. path, root]).Verify(leaf, root);
                default:
                    return !proof.Verify(LeafHash(a.Seed + 1, a.Index), root);
            }
        });

    [Property(MaxTest = 60)]
    public Property DecodeOfEncodeIsTheSameProof() =>
        Prop.ForAll(Trees, t =>
        {
            if (t.Size == 0)
            {
                return true;
            }

            MerkleLog log = Build(t.Seed, t.Size);
            InclusionProof proof = Run(log.GetInclusionProofAsync((ulong)(t.Past % t.Size), (ulong)t.Size));
            byte[] encoded = proof.Encode();
            return InclusionProof.Decode(encoded).Equals(proof) &&
                InclusionProof.TryDecode(encoded, out InclusionProof? again) && again.Equals(proof) &&
                again.Encode().AsSpan().SequenceEqual(encoded);
        });

    [Property(MaxTest = 300)]
    public Property ArbitraryBytesDecodeOnlyOrFailWithTheTypedError() =>
        Prop.ForAll(MerkleEncodingGenerators.Garbage(Sample().Encode()), bytes =>
            MerkleEncodingGenerators.DecodesOrFailsTyped(bytes, InclusionProof.Decode, InclusionProof.TryDecode));

    [Fact]
    public void EveryTruncationAndAnyTrailingByteIsRejected()
    {
        byte[] encoded = Sample().Encode();
        for (int length = 0; length < encoded.Length; length++)
        {
            Assert.Throws<MerkleFormatException>(() => InclusionProof.Decode(encoded.AsSpan(0, length)));
            Assert.False(InclusionProof.TryDecode(encoded.AsSpan(0, length), out _));
        }

        byte[] trailing = [.. encoded, 0];
        Assert.Throws<MerkleFormatException>(() => InclusionProof.Decode(trailing));
        Assert.False(InclusionProof.TryDecode(trailing, out _));
    }

    [Fact]
    public void DecodeAcceptsOnlyThePathLengthTheIndexAndSizeDetermine()
    {
        MerkleLog log = Build(5, 40);
        for (ulong size = 1; size <= 40; size++)
        {
            for (ulong index = 0; index < size; index++)
            {
                int expected = Run(log.GetInclusionProofAsync(index, size)).AuditPath.Length;
                for (int length = 0; length <= 8; length++)
                {
                    byte[] encoded = new InclusionProof(index, size, Path(length)).Encode();
                    Assert.Equal(length == expected, InclusionProof.TryDecode(encoded, out _));
                    if (length != expected)
                    {
                        Assert.Throws<MerkleFormatException>(() => InclusionProof.Decode(encoded));
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(0UL, ulong.MaxValue, 64)]
    [InlineData(0UL, 1UL << 63, 63)]
    [InlineData((1UL << 63) - 1, 1UL << 63, 63)]
    [InlineData(ulong.MaxValue - 1, ulong.MaxValue, 63)]
    [InlineData(4UL, 5UL, 1)]
    public void DecodeOfHugeTreesChecksThePathLength(ulong index, ulong size, int expected)
    {
        // Expected lengths from the recursive PATH definition of RFC 9162 section 2.1.3.1, evaluated by hand-written Python.
        Assert.True(InclusionProof.TryDecode(new InclusionProof(index, size, Path(expected)).Encode(), out _));
        Assert.False(InclusionProof.TryDecode(new InclusionProof(index, size, Path(expected - 1)).Encode(), out _));
        Assert.False(InclusionProof.TryDecode(new InclusionProof(index, size, Path(0)).Encode(), out _));
    }

    private static MerkleHash[] Path(int length) => [.. Enumerable.Range(0, length).Select(i => LeafHash(1, i))];

    [Fact]
    public void PathOfMoreThanSixtyFourHashesIsRejected()
    {
        byte[] encoded = new byte[19 + (65 * 32)];
        encoded[0] = 0x01;
        encoded[1] = 0x01;
        encoded[9] = 100; // tree size 100
        encoded[18] = 65;
        Assert.Throws<MerkleFormatException>(() => InclusionProof.Decode(encoded));
        Assert.Throws<ArgumentException>(() => new InclusionProof(0, 100, new MerkleHash[65]));
    }

    [Theory]
    [InlineData(0, 0x02)] // a consistency proof's tag
    [InlineData(1, 0x02)] // version 2
    [InlineData(17, 0x10)] // leaf index 16 of a tree of 5
    public void WrongTagVersionOrIndexIsRejected(int offset, byte value)
    {
        byte[] encoded = Sample().Encode();
        encoded[offset] = value;
        Assert.Throws<MerkleFormatException>(() => InclusionProof.Decode(encoded));
    }

    [Fact]
    public void ConstructorRejectsIndexNotBelowSize()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InclusionProof(5, 5, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InclusionProof(0, 0, []));
    }

    [Fact]
    public void ProofOfTheOnlyLeafIsEmptyAndVerifiesAgainstTheLeafHash()
    {
        MerkleLog log = Build(3, 1);
        InclusionProof proof = Run(log.GetInclusionProofAsync(0, 1));
        Assert.Empty(proof.AuditPath);
        Assert.True(proof.Verify(LeafHash(3, 0), LeafHash(3, 0)));
    }

    private static InclusionProof Sample() => Run(Build(11, 5).GetInclusionProofAsync(2, 5));

    private static MerkleHash Flip(MerkleHash hash, int noise)
    {
        byte[] bytes = hash.ToArray();
        bytes[noise % 32] ^= (byte)(1 << (noise % 8));
        return new MerkleHash(bytes);
    }
}
