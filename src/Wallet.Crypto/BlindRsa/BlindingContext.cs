using System.Text;

namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// The 32-byte context a seed-derived blinding factor is bound to (docs/derivation.md section 4): the variant, the
/// signer's public key and the public metadata. A coin blinded twice under different contexts gets unrelated factors,
/// so the signer cannot link the two requests through them.
/// </summary>
internal static class BlindingContext
{
    private static readonly byte[] s_label = Encoding.ASCII.GetBytes("PB1/blind-context");

    /// <summary>
    /// SHA-256( u8(len L) ‖ L ‖ u16be(len name) ‖ name ‖ u16be(len n) ‖ n ‖ u16be(len e) ‖ e ‖ u32be(len info) ‖ info ),
    /// with L = "PB1/blind-context", name the variant's name in ASCII, n = I2OSP(n, k) and e minimal big-endian.
    /// </summary>
    public static byte[] Compute(BlindRsaAlgorithm algorithm, BlindRsaPublicKey key, ReadOnlySpan<byte> metadata)
    {
        byte[] name = Encoding.ASCII.GetBytes(algorithm.Name);
        byte[] n = key.ModulusBytes;
        byte[] e = key.ExportExponent();
        var buffer = new byte[1 + s_label.Length + 2 + name.Length + 2 + n.Length + 2 + e.Length + 4 + metadata.Length];
        var span = buffer.AsSpan();
        span[0] = (byte)s_label.Length;
        s_label.CopyTo(span[1..]);
        span = span[(1 + s_label.Length)..];
        WriteBlock16(ref span, name);
        WriteBlock16(ref span, n);
        WriteBlock16(ref span, e);
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)metadata.Length);
        metadata.CopyTo(span[4..]);
        return SHA256.HashData(buffer);
    }

    private static void WriteBlock16(ref Span<byte> span, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value.Length);
        value.CopyTo(span[2..]);
        span = span[(2 + value.Length)..];
    }
}
