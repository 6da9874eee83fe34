using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Wire;

/// <summary>
/// The codec checks a folder's focused tests make on one known encoding, exhaustively (the properties in
/// <see cref="CodecPropertyTests"/> sample random cuts and mutations instead).
/// </summary>
public static class CodecAssert
{
    /// <summary>
    /// Decoding and re-encoding gives the same bytes; every proper prefix and the bytes with one trailing byte are
    /// refused by Decode with exactly <see cref="ProtocolFormatException"/> and by TryDecode with false.
    /// </summary>
    public static void Canonical(byte[] encoded, Func<byte[], byte[]> reencode, Func<byte[], bool> tryDecode)
    {
        Assert.Equal(encoded, reencode(encoded));
        Assert.True(tryDecode(encoded));
        for (int cut = 0; cut < encoded.Length; cut++)
        {
            byte[] prefix = encoded[..cut];
            Assert.Throws<ProtocolFormatException>(() => reencode(prefix));
            Assert.False(tryDecode(prefix), $"a {cut}-byte prefix of {encoded.Length} decoded");
        }

        byte[] trailing = [.. encoded, 0];
        Assert.Throws<ProtocolFormatException>(() => reencode(trailing));
        Assert.False(tryDecode(trailing), "a trailing byte was accepted");
    }

    /// <summary>A copy of <paramref name="encoded"/> with the only occurrence of <paramref name="field"/> replaced by <paramref name="replacement"/>.</summary>
    public static byte[] Replace(byte[] encoded, ReadOnlySpan<byte> field, ReadOnlySpan<byte> replacement)
    {
        Assert.Equal(field.Length, replacement.Length);
        int at = encoded.AsSpan().IndexOf(field);
        Assert.True(at >= 0, "the field is not in the encoding");
        Assert.True(encoded.AsSpan(at + 1).IndexOf(field) < 0, "the field occurs twice in the encoding");
        byte[] copy = (byte[])encoded.Clone();
        replacement.CopyTo(copy.AsSpan(at));
        return copy;
    }

    /// <summary>The big-endian eight bytes PB/1 writes for an amount or a time.</summary>
    public static byte[] I64(long value)
    {
        byte[] bytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
