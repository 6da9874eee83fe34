using System.Buffers;

namespace Wallet.Protocol.Wire;

/// <summary>
/// Big-endian, length-prefixed writer of the PB/1 presentation language (docs/PROTOCOL.md "Encoding"). The one
/// writer of every canonical byte format: PB/1 messages, the ledger journal and request hashes, the HTTP envelopes.
/// </summary>
internal sealed class ProtocolWriter(int capacity = 256)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(capacity);

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

    public void U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void I64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    /// <summary>A u8 0 or 1.</summary>
    public void Flag(bool value) => U8(value ? (byte)1 : (byte)0);

    public void Fixed(ReadOnlySpan<byte> value) => _buffer.Write(value);

    public void Opaque8(ReadOnlySpan<byte> value)
    {
        U8(checked((byte)value.Length));
        _buffer.Write(value);
    }

    public void Opaque16(ReadOnlySpan<byte> value)
    {
        U16(value.Length);
        _buffer.Write(value);
    }

    public void Opaque32(ReadOnlySpan<byte> value)
    {
        U32(checked((uint)value.Length));
        _buffer.Write(value);
    }

    /// <summary>The token encoding: a u8 length and the ASCII bytes (callers validate the characters).</summary>
    /// <summary>A u16 item count followed by each item.</summary>
    public void List<T>(ImmutableArray<T> items, Action<T, ProtocolWriter> writeItem)
    {
        U16(items.Length);
        foreach (var item in items)
        {
            writeItem(item, this);
        }
    }

    public void Ascii(string value) => Opaque8(System.Text.Encoding.ASCII.GetBytes(value));

    public void Utf8(string value) => Opaque8(System.Text.Encoding.UTF8.GetBytes(value));

    public void Amount(Amount value) => I64(value.MinorUnits);

    public void Time(DateTimeOffset value) => I64(value.ToUnixTimeSeconds());

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
