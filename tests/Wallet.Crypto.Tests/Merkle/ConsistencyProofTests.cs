using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wallet.Crypto.Merkle;
using Wallet.Storage.Testing;
using static Wallet.Storage.Testing.MerkleTestLog;

namespace Wallet.Crypto.Tests.Merkle;

public sealed class ConsistencyProofTests
{
    private static readonly Arbitrary<(int OldSize, int NewSize, int Seed)> SizePairs =
        (from newSize in Gen.Choose(0, 300)
         from oldSize in Gen.Choose(0, newSize)
         from seed in Gen.Choose(0, 1_000_000)
         select (oldSize, newSize, seed)).ToArbitrary();

    private static readonly Arbitrary<(int OldSize, int NewSize, int Kind, int Noise, int Seed)> Alterations =
        (from newSize in Gen.Choose(2, 300)
         from oldSize in Gen.Choose(1, newSize - 1)
         from kind in Gen.Choose(0, 6)
         from noise in Gen.Choose(0, int.MaxValue)
         from seed in Gen.Choose(0, 1_000_000)
         select (oldSize, newSize, kind, noise, seed)).ToArbitrary();

    [Fact]
    public void EveryPairOfSizesUpTo64MatchesTheReferenceProofAndVerifies()
    {
        const int Size = 64;
        MerkleLog log = Build(5, Size);
        ReferenceMerkleTree reference = Reference(5);
        for (int newSize = 0; newSize <= Size; newSize++)
        {
            MerkleHash newRoot = Run(log.GetRootAsync((ulong)newSize));
            for (int oldSize = 0; oldSize <= newSize; oldSize++)
            {
                MerkleHash oldRoot = Run(log.GetRootAsync((ulong)oldSize));
                ConsistencyProof proof = Run(log.GetConsistencyProofAsync((ulong)oldSize, (ulong)newSize));
                MerkleHash[] expected = oldSize == 0 ? [] : Hashes(reference.Proof(oldSize, newSize));
                Assert.Equal(expected, proof.Path.ToArray());
                Assert.True(proof.Verify(oldRoot, newRoot), $"{oldSize} -> {newSize}");
            }
        }
    }

    [Property(MaxTest = 200)]
    public Property ProofBetweenAnyTwoSizesVerifies() =>
        Prop.ForAll(SizePairs, p =>
        {
            MerkleLog log = Build(p.Seed, p.NewSize);
            ReferenceMerkleTree reference = Reference(p.Seed);
            MerkleHash oldRoot = Run(log.GetRootAsync((ulong)p.OldSize));
            MerkleHash newRoot = Run(log.GetRootAsync((ulong)p.NewSize));
            ConsistencyProof proof = Run(log.GetConsistencyProofAsync((ulong)p.OldSize, (ulong)p.NewSize));
            MerkleHash[] expected = p.OldSize == 0 ? [] : Hashes(reference.Proof(p.OldSize, p.NewSize));
            return proof.Path.AsSpan().SequenceEqual(expected) &&
                oldRoot.ToArray().AsSpan().SequenceEqual(reference.Mth(0, p.OldSize)) &&
                newRoot.ToArray().AsSpan().SequenceEqual(reference.Mth(0, p.NewSize)) &&
                proof.Verify(oldRoot, newRoot) &&
                proof.Verify(MerkleTestKeys.Head((ulong)p.OldSize, oldRoot), MerkleTestKeys.Head((ulong)p.NewSize, newRoot));
        });

    [Property(MaxTest = 200)]
    public Property AnyAlteredHashOrSizeFailsVerification() =>
        Prop.ForAll(Alterations, a =>
        {
            ulong oldSize = (ulong)a.OldSize;
            ulong newSize = (ulong)a.NewSize;
            MerkleLog log = Build(a.Seed, a.NewSize + 40);
            MerkleHash oldRoot = Run(log.GetRootAsync(oldSize));
            MerkleHash newRoot = Run(log.GetRootAsync(newSize));
            ConsistencyProof proof = Run(log.GetConsistencyProofAsync(oldSize, newSize));
            SignedTreeHead oldHead = MerkleTestKeys.Head(oldSize, oldRoot);
            SignedTreeHead newHead = MerkleTestKeys.Head(newSize, newRoot);
            if (!proof.Verify(oldRoot, newRoot) || !proof.Verify(oldHead, newHead))
            {
                return false;
            }

            MerkleHash[] path = [.. proof.Path];
            switch (a.Kind)
            {
                case 0:
                    path[a.Noise % path.Length] = Flip(path[a.Noise % path.Length], a.Noise);
                    return !new ConsistencyProof(oldSize, newSize, path).Verify(oldRoot, newRoot);
                case 1:
                    return !proof.Verify(Flip(oldRoot, a.Noise), newRoot);
                case 2:
                    return !proof.Verify(oldRoot, Flip(newRoot, a.Noise));
                case 3:
                    {
                        // Another old size: rejected against the signed heads and against that size's own root.
                        ulong otherOld = 1 + ((oldSize + (ulong)(a.Noise % (a.NewSize - 1))) % (newSize - 1));
                        otherOld = otherOld == oldSize ? (oldSize % (newSize - 1)) + 1 : otherOld;
                        if (otherOld == oldSize)
                        {
                            return true; // newSize == 2: no other old size in range
                        }

                        var moved = new ConsistencyProof(otherOld, newSize, path);
                        return !moved.Verify(oldHead, newHead) && !moved.Verify(Run(log.GetRootAsync(otherOld)), newRoot);
                    }

                case 4:
                    {
                        ulong otherNew = newSize + 1 + (ulong)(a.Noise % 40);
                        var moved = new ConsistencyProof(oldSize, otherNew, path);
                        return !moved.Verify(oldHead, newHead) && !moved.Verify(oldRoot, Run(log.GetRootAsync(otherNew)));
                    }

                case 5:
                    return !new ConsistencyProof(oldSize, newSize, path.AsSpan(0, path.Length - 1)).Verify(oldRoot, newRoot);
                default:
                    return !new ConsistencyProof(oldSize, newSize, [.. path, newRoot]).Verify(oldRoot, newRoot);
            }
        });

    [Fact]
    public void HeadsOfAnotherLogDoNotVerify()
    {
        MerkleLog log = Build(2, 20);
        MerkleHash oldRoot = Run(log.GetRootAsync(7));
        MerkleHash newRoot = Run(log.GetRootAsync(20));
        ConsistencyProof proof = Run(log.GetConsistencyProofAsync(7, 20));
        using var otherKey = Wallet.Crypto.Signing.Ed25519SigningKey.Generate();
        SignedTreeHead foreign = SignedTreeHead.Sign(20, newRoot, otherKey, MerkleTestKeys.Clock);
        Assert.True(proof.Verify(MerkleTestKeys.Head(7, oldRoot), MerkleTestKeys.Head(20, newRoot)));
        Assert.False(proof.Verify(MerkleTestKeys.Head(7, oldRoot), foreign));
    }

    [Fact]
    public void EqualSizesNeedEqualRootsAndAnEmptyPath()
    {
        MerkleLog log = Build(4, 9);
        MerkleHash root = Run(log.GetRootAsync(9));
        ConsistencyProof proof = Run(log.GetConsistencyProofAsync(9, 9));
        Assert.Empty(proof.Path);
        Assert.True(proof.Verify(root, root));
        Assert.False(proof.Verify(root, Run(log.GetRootAsync(8))));
        Assert.False(new ConsistencyProof(9, 9, [root]).Verify(root, root));
    }

    [Fact]
    public void EmptyOldTreeIsConsistentWithAnyTreeOnlyUnderTheEmptyRoot()
    {
        MerkleLog log = Build(4, 9);
        MerkleHash root = Run(log.GetRootAsync(9));
        ConsistencyProof proof = Run(log.GetConsistencyProofAsync(0, 9));
        Assert.Empty(proof.Path);
        Assert.True(proof.Verify(MerkleTree.EmptyRoot, root));
        Assert.False(proof.Verify(root, root));
    }

    [Fact]
    public void NonEmptyOldTreeWithEmptyPathFails()
    {
        MerkleLog log = Build(4, 9);
        Assert.False(new ConsistencyProof(3, 9, []).Verify(Run(log.GetRootAsync(3)), Run(log.GetRootAsync(9))));
    }

    [Fact]
    public void DecodeAcceptsOnlyThePathLengthTheSizesDetermine()
    {
        MerkleLog log = Build(6, 40);
        for (ulong newSize = 0; newSize <= 40; newSize++)
        {
            for (ulong oldSize = 0; oldSize <= newSize; oldSize++)
            {
                int expected = Run(log.GetConsistencyProofAsync(oldSize, newSize)).Path.Length;
                for (int length = 0; length <= 9; length++)
                {
                    byte[] encoded = new ConsistencyProof(oldSize, newSize, Path(length)).Encode();
                    Assert.Equal(length == expected, ConsistencyProof.TryDecode(encoded, out _));
                    if (length != expected)
                    {
                        Assert.Throws<MerkleFormatException>(() => ConsistencyProof.Decode(encoded));
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1UL, ulong.MaxValue, 64)]
    [InlineData(1UL << 62, 1UL << 63, 1)]
    [InlineData(3UL, 1UL << 63, 64)]
    [InlineData(ulong.MaxValue - 1, ulong.MaxValue, 64)]
    [InlineData(ulong.MaxValue, ulong.MaxValue, 0)]
    [InlineData(5UL, 7UL, 4)]
    public void DecodeOfHugeTreesChecksThePathLength(ulong oldSize, ulong newSize, int expected)
    {
        Assert.True(ConsistencyProof.TryDecode(new ConsistencyProof(oldSize, newSize, Path(expected)).Encode(), out _));
        // Expected lengths from the recursive SUBPROOF definition of RFC 9162 section 2.1.4.1, evaluated by hand-written Python.
        Assert.False(ConsistencyProof.TryDecode(new ConsistencyProof(oldSize, newSize, Path(expected == 64 ? 63 : expected + 1)).Encode(), out _));
        Assert.Equal(expected == 0, ConsistencyProof.TryDecode(new ConsistencyProof(oldSize, newSize, Path(0)).Encode(), out _));
    }

    private static MerkleHash[] Path(int length) => [.. Enumerable.Range(0, length).Select(i => LeafHash(1, i))];

    [Property(MaxTest = 60)]
    public Property DecodeOfEncodeIsTheSameProof() =>
        Prop.ForAll(SizePairs, p =>
        {
            ConsistencyProof proof = Run(Build(p.Seed, p.NewSize).GetConsistencyProofAsync((ulong)p.OldSize, (ulong)p.NewSize));
            byte[] encoded = proof.Encode();
            return ConsistencyProof.Decode(encoded).Equals(proof) &&
                ConsistencyProof.TryDecode(encoded, out ConsistencyProof? again) && again.Equals(proof) &&
                again.Encode().AsSpan().SequenceEqual(encoded);
        });

    [Property(MaxTest = 300)]
    public Property ArbitraryBytesDecodeOnlyOrFailWithTheTypedError() =>
        Prop.ForAll(MerkleEncodingGenerators.Garbage(Sample().Encode()), bytes =>
            MerkleEncodingGenerators.DecodesOrFailsTyped(bytes, ConsistencyProof.Decode, ConsistencyProof.TryDecode));

    [Fact]
    public void EveryTruncationAndAnyTrailingByteIsRejected()
    {
        byte[] encoded = Sample().Encode();
        for (int length = 0; length < encoded.Length; length++)
        {
            Assert.Throws<MerkleFormatException>(() => ConsistencyProof.Decode(encoded.AsSpan(0, length)));
            Assert.False(ConsistencyProof.TryDecode(encoded.AsSpan(0, length), out _));
        }

        Assert.Throws<MerkleFormatException>(() => ConsistencyProof.Decode([.. encoded, 0]));
    }

    [Theory]
    [InlineData(0, 0x01)] // an inclusion proof's tag
    [InlineData(1, 0x00)] // version 0
    [InlineData(9, 0xFF)] // old size 255 above new size 30
    [InlineData(18, 65)] // 65 hashes announced
    public void WrongTagVersionSizesOrCountIsRejected(int offset, byte value)
    {
        byte[] encoded = Sample().Encode();
        encoded[offset] = value;
        Assert.Throws<MerkleFormatException>(() => ConsistencyProof.Decode(encoded));
    }

    [Fact]
    public void OversizePathIsRejected()
    {
        byte[] encoded = new byte[19 + (65 * 32)];
        encoded[0] = 0x02;
        encoded[1] = 0x01;
        encoded[9] = 1;
        encoded[17] = 200;
        encoded[18] = 65;
        Assert.Throws<MerkleFormatException>(() => ConsistencyProof.Decode(encoded));
        Assert.Throws<ArgumentException>(() => new ConsistencyProof(1, 200, new MerkleHash[65]));
    }

    [Fact]
    public void ConstructorRejectsOldSizeAboveNewSize() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConsistencyProof(4, 3, []));

    private static ConsistencyProof Sample() => Run(Build(11, 30).GetConsistencyProofAsync(13, 30));

    private static MerkleHash Flip(MerkleHash hash, int noise)
    {
        byte[] bytes = hash.ToArray();
        bytes[noise % 32] ^= (byte)(1 << (noise % 8));
        return new MerkleHash(bytes);
    }
}
