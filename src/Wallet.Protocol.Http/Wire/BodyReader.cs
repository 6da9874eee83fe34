using System.Buffers.Binary;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Http.Wire;

/// <summary>Bounds-checked reader of the HTTP envelopes; every failure is a <see cref="ProtocolFormatException"/>.</summary>
internal ref struct BodyReader
{
    private ReadOnlySpan<byte> _rest;

    public BodyReader(ReadOnlySpan<byte> body) => _rest = body;

    public readonly int Remaining => _rest.Length;

    public ReadOnlySpan<byte> Fixed(int length, string field)
    {
        if (length < 0 || _rest.Length < length)
        {
            throw new ProtocolFormatException($"Truncated {field}.");
        }

        var value = _rest[..length];
        _rest = _rest[length..];
        return value;
    }

    public byte U8(string field) => Fixed(1, field)[0];

    public int U16(string field) => BinaryPrimitives.ReadUInt16BigEndian(Fixed(2, field));

    public uint U32(string field) => BinaryPrimitives.ReadUInt32BigEndian(Fixed(4, field));

    public ulong U64(string field) => BinaryPrimitives.ReadUInt64BigEndian(Fixed(8, field));

    public long I64(string field) => BinaryPrimitives.ReadInt64BigEndian(Fixed(8, field));

    /// <summary>A u8 length and printable ASCII without spaces; empty only when <paramref name="allowEmpty"/>.</summary>
    public string Token(string field, bool allowEmpty = false)
    {
        var bytes = Fixed(U8(field), field);
        if ((bytes.IsEmpty && !allowEmpty) || bytes.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E))
        {
            throw new ProtocolFormatException($"Invalid {field}.");
        }

        return System.Text.Encoding.ASCII.GetString(bytes);
    }

    public void Version(string message)
    {
        if (U8(message) != BodyCodec.Version)
        {
            throw new ProtocolFormatException($"Unsupported {message} version.");
        }
    }

    public bool Flag(string field) => U8(field) switch
    {
        0 => false,
        1 => true,
        _ => throw new ProtocolFormatException($"Invalid {field} flag."),
    };

    public int Count(string field, int max)
    {
        int count = U16(field);
        return count <= max ? count : throw new ProtocolFormatException($"Too many {field}.");
    }

    public ReadOnlySpan<byte> Opaque16(string field, int min)
    {
        int length = U16(field);
        return length >= min ? Fixed(length, field) : throw new ProtocolFormatException($"Empty {field}.");
    }

    public ReadOnlySpan<byte> Opaque32(string field, int max)
    {
        uint length = BinaryPrimitives.ReadUInt32BigEndian(Fixed(4, field));
        return length is >= 1 && length <= (uint)max ? Fixed((int)length, field) : throw new ProtocolFormatException($"Invalid {field} length.");
    }

    public readonly void End(string message)
    {
        if (!_rest.IsEmpty)
        {
            throw new ProtocolFormatException($"Trailing bytes after {message}.");
        }
    }
}
