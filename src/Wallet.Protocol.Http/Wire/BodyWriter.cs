using System.Buffers;
using System.Buffers.Binary;

namespace Wallet.Protocol.Http.Wire;

/// <summary>Big-endian writer of the HTTP envelopes (docs/http.md "Bodies"), same conventions as PB/1 section 2.</summary>
internal sealed class BodyWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;

    public BodyWriter(int capacity = 256) => _buffer = new ArrayBufferWriter<byte>(capacity);

    public void U8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void U16(int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.GetSpan(2), checked((ushort)value));
        _buffer.Advance(2);
    }

    public void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void I64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>A u8 length and printable ASCII (account ids, keys, fund and sector tokens).</summary>
    public void Token(string value)
    {
        U8(checked((byte)value.Length));
        int written = System.Text.Encoding.ASCII.GetBytes(value, _buffer.GetSpan(value.Length));
        _buffer.Advance(written);
    }

    public void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Fixed(ReadOnlySpan<byte> value) => _buffer.Write(value);

    public void Opaque16(ReadOnlySpan<byte> value)
    {
        U16(value.Length);
        Fixed(value);
    }

    public void Opaque32(ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), checked((uint)value.Length));
        _buffer.Advance(4);
        Fixed(value);
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
