using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Wallet.Protocol.Ledger;

/// <summary>Big-endian, length-prefixed writer for the ledger's canonical encodings (docs/ledger.md).</summary>
internal sealed class CanonicalWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public void WriteU8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void WriteU16(int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), checked((ushort)value));
        _buffer.Advance(2);
    }

    public void WriteU32(int value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), checked((uint)value));
        _buffer.Advance(4);
    }

    public void WriteI64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void WriteBytes(ReadOnlySpan<byte> value) => _buffer.Write(value);

    /// <summary>One-byte length, then ASCII; every token in the ledger is at most 128 characters.</summary>
    public void WriteAscii(string value)
    {
        WriteU8(checked((byte)value.Length));
        int written = Encoding.ASCII.GetBytes(value, _buffer.GetSpan(value.Length));
        _buffer.Advance(written);
    }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
