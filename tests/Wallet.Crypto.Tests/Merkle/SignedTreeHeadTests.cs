using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using static Wallet.Storage.Testing.MerkleTestLog;

namespace Wallet.Crypto.Tests.Merkle;

public sealed class SignedTreeHeadTests
{
    [Fact]
    public void HeadSignedByTheLogVerifiesUnderItsKey()
    {
        MerkleLog log = Build(1, 17);
        SignedTreeHead head = Run(log.SignTreeHeadAsync(MerkleTestKeys.LogKey, MerkleTestKeys.Clock));

        Assert.True(head.Verify(MerkleTestKeys.LogKey.PublicKey));
        Assert.Equal(17UL, head.TreeSize);
        Assert.Equal(Run(log.GetRootAsync(17)), head.RootHash);
        Assert.Equal(MerkleLogId.FromPublicKey(MerkleTestKeys.LogKey.PublicKey), head.LogId);
        Assert.Equal(64, head.Signature.Length);
    }

    [Fact]
    public void TimestampComesFromTheInjectedClockToTheMillisecond()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2031, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)).AddTicks(12_345_678));
        SignedTreeHead head = SignedTreeHead.Sign(0, MerkleTree.EmptyRoot, MerkleTestKeys.LogKey, clock);

        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), head.Timestamp.ToUnixTimeMilliseconds());
        Assert.Equal(TimeSpan.Zero, head.Timestamp.Offset);
        Assert.Equal(0, head.Timestamp.Ticks % TimeSpan.TicksPerMillisecond);
        Assert.True(head.Verify(MerkleTestKeys.LogKey.PublicKey));
    }

    [Fact]
    public void SignatureDoesNotVerifyUnderAnyOtherDomain()
    {
        SignedTreeHead head = MerkleTestKeys.Head(5, Run(Build(1, 5).GetRootAsync(5)));
        byte[] content = head.Encode()[..82];
        Ed25519PublicKey key = MerkleTestKeys.LogKey.PublicKey;
        Assert.True(key.Verify(SignedTreeHead.Domain, content, head.Signature.Span));

        SignatureDomain[] others =
        [
            new("PB1/tree-head", 2),
            new("PB1/tree-head", 0),
            new("PB1/tree-heads", 1),
            new("PB1/tree-hea", 1),
            new("PB1/withdrawal-receipt", 1),
            new("PB1/deposit-receipt", 1),
            new("PB1/spend", 1),
        ];
        foreach (SignatureDomain other in others)
        {
            Assert.False(key.Verify(other, content, head.Signature.Span), other.ToString());
        }

        // The other direction: the same bytes signed in another domain are no tree head.
        byte[] forged = head.Encode();
        MerkleTestKeys.LogKey.Sign(new SignatureDomain("PB1/withdrawal-receipt", 1), content).CopyTo(forged, 82);
        Assert.False(SignedTreeHead.Decode(forged).Verify(key));
    }

    [Fact]
    public void EveryChangedByteFailsVerification()
    {
        byte[] encoded = MerkleTestKeys.Head(9, Run(Build(1, 9).GetRootAsync(9))).Encode();
        for (int i = 2; i < encoded.Length; i++)
        {
            byte[] changed = (byte[])encoded.Clone();
            changed[i] ^= 0x01;
            if (SignedTreeHead.TryDecode(changed, out SignedTreeHead? head))
            {
                Assert.False(head.Verify(MerkleTestKeys.LogKey.PublicKey), $"byte {i}");
            }
        }
    }

    [Fact]
    public void AnotherKeyDoesNotVerify()
    {
        using var other = Ed25519SigningKey.Generate();
        SignedTreeHead head = MerkleTestKeys.Head(0, MerkleTree.EmptyRoot);
        Assert.False(head.Verify(other.PublicKey));
    }

    [Fact]
    public void HeadOfAnotherLogFailsEvenWithAValidSignature()
    {
        // A head that claims a different log id is rejected even though its signature is the log key's own.
        SignedTreeHead head = MerkleTestKeys.Head(0, MerkleTree.EmptyRoot);
        byte[] encoded = head.Encode();
        encoded[18] ^= 0xFF;
        byte[] content = encoded[..82];
        MerkleTestKeys.LogKey.Sign(SignedTreeHead.Domain, content).CopyTo(encoded, 82);
        Assert.False(SignedTreeHead.Decode(encoded).Verify(MerkleTestKeys.LogKey.PublicKey));
    }

    [Property(MaxTest = 50)]
    public Property DecodeOfEncodeIsTheSameHead() =>
        Prop.ForAll(Gen.Choose(0, 300).ToArbitrary(), size =>
        {
            SignedTreeHead head = MerkleTestKeys.Head((ulong)size, Run(Build(size, size).GetRootAsync((ulong)size)));
            byte[] encoded = head.Encode();
            return encoded.Length == SignedTreeHead.EncodedLength &&
                SignedTreeHead.Decode(encoded).Equals(head) &&
                SignedTreeHead.TryDecode(encoded, out SignedTreeHead? again) && again.Equals(head) &&
                again.Verify(MerkleTestKeys.LogKey.PublicKey);
        });

    [Property(MaxTest = 300)]
    public Property ArbitraryBytesDecodeOnlyOrFailWithTheTypedError() =>
        Prop.ForAll(MerkleEncodingGenerators.Garbage(MerkleTestKeys.Head(3, Run(Build(1, 3).GetRootAsync(3))).Encode()), bytes =>
            MerkleEncodingGenerators.DecodesOrFailsTyped(bytes, SignedTreeHead.Decode, SignedTreeHead.TryDecode));

    [Fact]
    public void TruncatedTrailingAndOutOfRangeEncodingsAreRejected()
    {
        byte[] encoded = MerkleTestKeys.Head(3, Run(Build(1, 3).GetRootAsync(3))).Encode();
        for (int length = 0; length < encoded.Length; length++)
        {
            Assert.Throws<MerkleFormatException>(() => SignedTreeHead.Decode(encoded.AsSpan(0, length)));
        }

        Assert.Throws<MerkleFormatException>(() => SignedTreeHead.Decode([.. encoded, 0]));

        byte[] wrongTag = (byte[])encoded.Clone();
        wrongTag[0] = 0x01;
        Assert.Throws<MerkleFormatException>(() => SignedTreeHead.Decode(wrongTag));

        byte[] wrongVersion = (byte[])encoded.Clone();
        wrongVersion[1] = 0x02;
        Assert.Throws<MerkleFormatException>(() => SignedTreeHead.Decode(wrongVersion));

        byte[] farFuture = (byte[])encoded.Clone();
        farFuture.AsSpan(10, 8).Fill(0xFF);
        Assert.Throws<MerkleFormatException>(() => SignedTreeHead.Decode(farFuture));

        byte[] emptyWithRoot = (byte[])encoded.Clone();
        emptyWithRoot.AsSpan(2, 8).Clear();
        Assert.Throws<MerkleFormatException>(() => SignedTreeHead.Decode(emptyWithRoot));
    }

    [Fact]
    public void SigningChecksArgumentsInOrder()
    {
        Assert.Equal("signingKey", Assert.Throws<ArgumentNullException>(() => SignedTreeHead.Sign(0, MerkleTree.EmptyRoot, null!, null!)).ParamName);
        Assert.Equal("timeProvider", Assert.Throws<ArgumentNullException>(() => SignedTreeHead.Sign(0, MerkleTree.EmptyRoot, MerkleTestKeys.LogKey, null!)).ParamName);
        Assert.Equal("rootHash", Assert.Throws<ArgumentException>(() => SignedTreeHead.Sign(0, default, MerkleTestKeys.LogKey, MerkleTestKeys.Clock)).ParamName);
        var beforeEpoch = new FixedTimeProvider(new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal("timeProvider", Assert.Throws<ArgumentException>(() => SignedTreeHead.Sign(0, MerkleTree.EmptyRoot, MerkleTestKeys.LogKey, beforeEpoch)).ParamName);
    }

    [Fact]
    public void DisposedKeyCannotSign()
    {
        var key = Ed25519SigningKey.Generate();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => SignedTreeHead.Sign(0, MerkleTree.EmptyRoot, key, MerkleTestKeys.Clock));
    }
}
