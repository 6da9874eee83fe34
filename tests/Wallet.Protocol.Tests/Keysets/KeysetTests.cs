using Wallet.Crypto.BlindRsa;
using System.Security.Cryptography;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Tests.Wire;
using Wallet.Protocol.Wire;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Keysets;

/// <summary>A keyset descriptor (whose id is its hash) and the scheme's signed announcement of it.</summary>
public sealed class KeysetTests
{
    private static readonly DateTimeOffset s_from = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static byte[] PublicKey => ProtocolKeys.Rsa2048.PublicKey.ExportSubjectPublicKeyInfo();

    [Fact]
    public void KeysetIdIsTheHashOfTheEncodingAndChangesWithAnyField()
    {
        var descriptor = Descriptor();
        Assert.Equal(SHA256.HashData(descriptor.Encode()), descriptor.Id.Bytes.ToArray());
        Assert.Equal(descriptor.Id, Descriptor().Id);
        Assert.NotEqual(descriptor.Id, Descriptor(epoch: 8).Id);
        Assert.NotEqual(descriptor.Id, Descriptor(fund: "training").Id);
        Assert.NotEqual(descriptor.Id, Descriptor(depositUntil: s_from.AddDays(91)).Id);
    }

    [Fact]
    public void KeysetDescriptorRejectsWindowsOutOfOrderAndInvalidFields()
    {
        Assert.Throws<ArgumentException>("withdrawUntil", () => Descriptor(withdrawUntil: s_from.AddSeconds(-1)));
        Assert.Throws<ArgumentException>("withdrawUntil", () => Descriptor(depositUntil: s_from.AddDays(59)));
        Assert.Throws<ArgumentOutOfRangeException>("denomination", () => Descriptor(denomination: 0));
        Assert.Throws<ArgumentOutOfRangeException>("mode", () => Descriptor(mode: (BlindRsaScheme)3));
        Assert.Throws<ArgumentException>("fund", () => Descriptor(fund: "two words"));
        Assert.Throws<ArgumentException>("publicKey", () => new KeysetDescriptor(1, Amount.FromMinorUnits(1), "general", s_from, s_from, s_from, s_from, BlindRsaScheme.Rsabssa, []));
    }

    [Fact]
    public void KeysetWindowsAreWholeSecondsAndInclusive()
    {
        var descriptor = Descriptor(withdrawUntil: s_from.AddDays(30).AddMilliseconds(900));
        Assert.Equal(s_from.AddDays(30), descriptor.WithdrawUntil);
        Assert.True(descriptor.IsWithdrawable(s_from));
        Assert.True(descriptor.IsWithdrawable(s_from.AddDays(30)));
        Assert.False(descriptor.IsWithdrawable(s_from.AddDays(30).AddSeconds(1)));
        Assert.False(descriptor.IsSpendable(s_from.AddSeconds(-1)));
        Assert.True(descriptor.IsSpendable(s_from.AddDays(60)));
        Assert.False(descriptor.IsSpendable(s_from.AddDays(60).AddSeconds(1)));
        Assert.True(descriptor.IsDepositable(s_from.AddDays(90)));
        Assert.False(descriptor.IsDepositable(s_from.AddDays(90).AddSeconds(1)));
    }

    [Fact]
    public void OnlyPartiallyBlindKeysetsBindTheirDescriptorAsMetadata()
    {
        Assert.True(Descriptor().Metadata.IsEmpty);
        var partial = Descriptor(mode: BlindRsaScheme.Rsapbssa);
        Assert.Equal(partial.Encode(), partial.Metadata.ToArray());
        Assert.NotEqual(Descriptor().Algorithm, partial.Algorithm);
    }

    [Fact]
    public void KeysetDescriptorDecodeRejectsAnUnknownMode()
    {
        byte[] encoded = Descriptor().Encode();
        int mode = encoded.Length - PublicKey.Length - 3;
        Assert.Equal((byte)BlindRsaScheme.Rsabssa, encoded[mode]);
        encoded[mode] = 3;
        Assert.Throws<ProtocolFormatException>(() => KeysetDescriptor.Decode(encoded));
        Assert.False(KeysetDescriptor.TryDecode(encoded, out _));
    }

    [Fact]
    public void AnnouncementVerifiesUnderTheSchemeKeyOnlyAndForItsOwnDescriptor()
    {
        using var scheme = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        var announcement = KeysetAnnouncement.Sign(Descriptor(), scheme);

        Assert.True(announcement.Verify(scheme.PublicKey));
        Assert.True(KeysetAnnouncement.Decode(announcement.Encode()).Verify(scheme.PublicKey));
        Assert.False(announcement.Verify(other.PublicKey));
        Assert.False(new KeysetAnnouncement(Descriptor(epoch: 8), announcement.Signature).Verify(scheme.PublicKey));
        Assert.Throws<ArgumentException>("signature", () => new KeysetAnnouncement(Descriptor(), new byte[63]));
    }

    [Fact]
    public void DescriptorAndAnnouncementDecodeRejectEveryTruncationAndATrailingByte()
    {
        var s = new MessageSamples(11);
        CodecAssert.Canonical(s.Descriptor().Encode(), b => KeysetDescriptor.Decode(b).Encode(), b => KeysetDescriptor.TryDecode(b, out _));
        CodecAssert.Canonical(s.Announcement().Encode(), b => KeysetAnnouncement.Decode(b).Encode(), b => KeysetAnnouncement.TryDecode(b, out _));
    }

    [Fact]
    public void DescriptorToStringShowsNoPublicKey()
    {
        var descriptor = Descriptor();
        string text = descriptor.ToString();
        Assert.Contains(descriptor.Id.ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(PublicKey.AsSpan(^32)), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(PublicKey)[^16..], text, StringComparison.Ordinal);
    }

    private static KeysetDescriptor Descriptor(
        uint epoch = 7,
        long denomination = 100,
        string fund = KeysetDescriptor.GeneralFund,
        DateTimeOffset? withdrawUntil = null,
        DateTimeOffset? depositUntil = null,
        BlindRsaScheme mode = BlindRsaScheme.Rsabssa) =>
        new(epoch, Amount.FromMinorUnits(denomination), fund, s_from, withdrawUntil ?? s_from.AddDays(30), s_from.AddDays(60), depositUntil ?? s_from.AddDays(90), mode, PublicKey);
}
