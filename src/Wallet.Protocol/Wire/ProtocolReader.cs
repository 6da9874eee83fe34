using System.Text;

namespace Wallet.Protocol.Wire;

/// <summary>
/// Strict reader of the PB/1 presentation language: every failure is a <see cref="ProtocolFormatException"/>
/// naming the field, so decoders of network input have exactly one error type. The one reader of every canonical
/// byte format: PB/1 messages, the ledger journal and the HTTP envelopes.
/// </summary>
internal ref struct ProtocolReader(ReadOnlySpan<byte> data)
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ReadOnlySpan<byte> _rest = data;

    public readonly int Remaining => _rest.Length;

    public ReadOnlySpan<byte> Fixed(int length, string field)
    {
        if (length < 0 || _rest.Length < length)
        {
            throw new ProtocolFormatException($"Truncated at field '{field}'.");
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

    /// <summary>A u8 that is 0 (false) or 1 (true); any other value is not canonical.</summary>
    public bool Flag(string field) => U8(field) switch
    {
        0 => false,
        1 => true,
        _ => throw new ProtocolFormatException($"Field '{field}' is not a 0/1 flag."),
    };

    /// <summary>Reads a message's version byte, which must lie between <paramref name="oldest"/> and <paramref name="newest"/>.</summary>
    /// <param name="oldest">The oldest version the message still decodes.</param>
    /// <param name="newest">The current version.</param>
    /// <param name="message">The message's name, for the error.</param>
    /// <returns>The version read.</returns>
    public byte Version(byte oldest, byte newest, string message)
    {
        byte version = U8(message + ".version");
        return version < oldest || version > newest ? throw new ProtocolFormatException($"Unknown {message} version {version}.") : version;
    }

    public void Version(byte expected, string message)
    {
        byte version = U8(message + ".version");
        if (version != expected)
        {
            throw new ProtocolFormatException($"Unknown {message} version {version}.");
        }
    }

    public ReadOnlySpan<byte> Opaque8(string field, int min = 0, int max = byte.MaxValue) => Bounded(U8(field), min, max, field);

    public ReadOnlySpan<byte> Opaque16(string field, int min = 0, int max = ushort.MaxValue) => Bounded(U16(field), min, max, field);

    public ReadOnlySpan<byte> Opaque32(string field, int min, int max)
    {
        uint length = U32(field);
        if (length > (uint)max)
        {
            throw new ProtocolFormatException($"Field '{field}' is longer than {max} bytes.");
        }

        return Bounded((int)length, min, max, field);
    }

    public int Count(string field, int max)
    {
        int count = U16(field);
        if (count > max)
        {
            throw new ProtocolFormatException($"Field '{field}' has more than {max} items.");
        }

        return count;
    }

    /// <summary>A u16 item count (at most <paramref name="max"/>) followed by that many items.</summary>
    /// <param name="field">The list's field name, for errors.</param>
    /// <param name="max">The most items allowed.</param>
    /// <param name="readItem">Reads one item.</param>
    /// <param name="whenEmpty">If set, an empty list is refused with this message.</param>
    public ImmutableArray<T> List<T>(string field, int max, ProtocolCodec.Reader<T> readItem, string? whenEmpty = null)
    {
        int count = Count(field, max);
        if (count == 0 && whenEmpty is not null)
        {
            throw new ProtocolFormatException(whenEmpty);
        }

        var items = ImmutableArray.CreateBuilder<T>(count);
        for (int i = 0; i < count; i++)
        {
            items.Add(readItem(ref this));
        }

        return items.MoveToImmutable();
    }

    /// <summary>
    /// The token encoding: a u8 length and printable ASCII without spaces (0x21..0x7E). PB/1 fields hold
    /// 1..<see cref="AsciiToken.MaxLength"/> characters; the ledger journal and the operator envelopes allow other bounds.
    /// </summary>
    public string Ascii(string field, int min = 1, int max = AsciiToken.MaxLength)
    {
        var bytes = Opaque8(field, min, max);
        foreach (byte b in bytes)
        {
            if (b is < 0x21 or > 0x7E)
            {
                throw new ProtocolFormatException($"Field '{field}' is not printable ASCII.");
            }
        }

        return System.Text.Encoding.ASCII.GetString(bytes);
    }

    public string Utf8(string field, int max)
    {
        var bytes = Opaque8(field, 0, max);
        try
        {
            string value = s_strictUtf8.GetString(bytes);
            if (!value.IsNormalized(NormalizationForm.FormC))
            {
                throw new ProtocolFormatException($"Field '{field}' is not NFC-normalized UTF-8.");
            }

            return value;
        }
        catch (DecoderFallbackException ex)
        {
            throw new ProtocolFormatException($"Field '{field}' is not valid UTF-8.", ex);
        }
        catch (ArgumentException ex)
        {
            throw new ProtocolFormatException($"Field '{field}' is not valid Unicode.", ex);
        }
    }

    public Amount Amount(string field, bool positive = false)
    {
        long value = I64(field);
        if (value < 0 || (positive && value == 0))
        {
            throw new ProtocolFormatException($"Field '{field}' is out of range.");
        }

        return Wallet.Protocol.Amount.FromMinorUnits(value);
    }

    public DateTimeOffset Time(string field)
    {
        long seconds = I64(field);
        if (seconds < 0 || seconds > 253402300799)
        {
            throw new ProtocolFormatException($"Field '{field}' is out of range.");
        }

        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    public AccountId Account(string field) => new(Ascii(field));

    public KeysetId Keyset(string field) => new(Fixed(KeysetId.Length, field));

    public CoinId Coin(string field) => new(Fixed(CoinId.Length, field));

    /// <summary>A 64-byte Ed25519 signature, copied out of the input.</summary>
    public byte[] Signature(string field = "signature") => Fixed(Wallet.Crypto.Signing.Ed25519PublicKey.SignatureLength, field).ToArray();

    public readonly void End(string message)
    {
        if (!_rest.IsEmpty)
        {
            throw new ProtocolFormatException($"Trailing bytes after {message}.");
        }
    }

    private ReadOnlySpan<byte> Bounded(int length, int min, int max, string field)
    {
        if (length < min || length > max)
        {
            throw new ProtocolFormatException($"Field '{field}' has a length outside {min}..{max}.");
        }

        return Fixed(length, field);
    }
}
