using System.Buffers.Binary;
using System.Text;

namespace Wallet.Protocol.Ledger;

/// <summary>Reader for <see cref="CanonicalWriter"/> encodings; every method fails softly so decoders return false on malformed input.</summary>
internal ref struct CanonicalReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool AtEnd => _rest.IsEmpty;

    public bool TryU8(out byte value)
    {
        value = 0;
        if (_rest.Length < 1)
        {
            return false;
        }

        value = _rest[0];
        _rest = _rest[1..];
        return true;
    }

    public bool TryU16(out int value)
    {
        value = 0;
        if (_rest.Length < 2)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
        _rest = _rest[2..];
        return true;
    }

    public bool TryU32(out long value)
    {
        value = 0;
        if (_rest.Length < 4)
        {
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_rest);
        _rest = _rest[4..];
        return true;
    }

    public bool TryI64(out long value)
    {
        value = 0;
        if (_rest.Length < 8)
        {
            return false;
        }

        value = BinaryPrimitives.ReadInt64BigEndian(_rest);
        _rest = _rest[8..];
        return true;
    }

    public bool TryBytes(int length, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (_rest.Length < length)
        {
            return false;
        }

        value = _rest[..length];
        _rest = _rest[length..];
        return true;
    }

    public bool TryAscii(out string value)
    {
        value = "";
        if (!TryU8(out byte length) || !TryBytes(length, out var bytes))
        {
            return false;
        }

        foreach (byte b in bytes)
        {
            if (b is < 0x21 or > 0x7E)
            {
                return false;
            }
        }

        value = Encoding.ASCII.GetString(bytes);
        return true;
    }
}
