namespace Wallet.Protocol.Keysets.Remote;

/// <summary>
/// The length-prefixed binary protocol between the scheme and a separate signing process (docs/PROTOCOL.md 8.2):
/// frames, requests and responses. Only public keys, descriptors, blinded messages and blind signatures cross it.
/// </summary>
/// <remarks>
/// A frame is a u32 big-endian length (1 to <see cref="MaxFrameLength"/>) and that many bytes. A request is
/// <c>u8 version, u8 operation</c> then, per <see cref="KeysetSignerOperation"/>: Sign, <c>opaque16 descriptor,
/// u16 count (1..<see cref="MaxBatch"/>), count × opaque16 blinded_message</c>; PublicKey and File,
/// <c>opaque16 descriptor</c>; Generate, <c>u8 mode, u16 modulus_bits</c>. A response is <c>u8 version, u8 status</c>
/// (<see cref="KeysetSignerStatus"/>) then, on success, for Sign <c>u16 count, count × opaque16 blind_signature</c>,
/// for the others <c>opaque16 subject_public_key_info</c>; an error carries nothing more. The descriptor is the
/// canonical keyset descriptor: its SHA-256 is the keyset id that names the key, and in partially blind mode it is the
/// metadata, so a changed descriptor names no key.
/// </remarks>
public static class KeysetSignerProtocol
{
    /// <summary>The protocol version byte of requests and responses.</summary>
    public const byte Version = 1;

    /// <summary>The largest frame body, in bytes.</summary>
    public const int MaxFrameLength = 2 * 1024 * 1024;

    /// <summary>The most blinded messages in one Sign request (a withdrawal's most coins).</summary>
    public const int MaxBatch = 1024;

    private const int MaxDescriptorLength = 2048;
    private const int MaxElementLength = 1024;

    internal static byte[] EncodeSign(KeysetDescriptor descriptor, IReadOnlyList<BlindedMessage> messages)
    {
        var w = Start(KeysetSignerOperation.Sign, 8 + messages.Count * (2 + messages[0].Length));
        w.Opaque16(descriptor.Encode());
        w.U16(messages.Count);
        foreach (var message in messages)
        {
            w.Opaque16(message.AsSpan());
        }

        return w.ToArray();
    }

    internal static byte[] EncodeDescriptor(KeysetSignerOperation operation, KeysetDescriptor descriptor)
    {
        var w = Start(operation, 1400);
        w.Opaque16(descriptor.Encode());
        return w.ToArray();
    }

    internal static byte[] EncodeGenerate(BlindRsaScheme mode, int modulusBits)
    {
        var w = Start(KeysetSignerOperation.Generate, 5);
        w.U8((byte)mode);
        w.U16(modulusBits);
        return w.ToArray();
    }

    /// <summary>Decodes a request; a status other than Ok says why it is refused, and the request is then null.</summary>
    internal static KeysetSignerStatus TryDecodeRequest(ReadOnlySpan<byte> body, out KeysetSignerRequest? request)
    {
        request = null;
        if (body.Length < 2)
        {
            return KeysetSignerStatus.Malformed;
        }

        if (body[0] != Version)
        {
            return KeysetSignerStatus.UnsupportedVersion;
        }

        var operation = (KeysetSignerOperation)body[1];
        if (operation is not (KeysetSignerOperation.Sign or KeysetSignerOperation.PublicKey or KeysetSignerOperation.Generate or KeysetSignerOperation.File))
        {
            return KeysetSignerStatus.UnknownOperation;
        }

        var reader = new ProtocolReader(body[2..]);
        try
        {
            request = operation switch
            {
                KeysetSignerOperation.Generate => ReadGenerate(ref reader),
                KeysetSignerOperation.Sign => new KeysetSignerRequest(operation, ReadDescriptor(ref reader), ReadMessages(ref reader), default, 0),
                _ => new KeysetSignerRequest(operation, ReadDescriptor(ref reader), [], default, 0),
            };
            reader.End("signer request");
            return KeysetSignerStatus.Ok;
        }
        catch (ProtocolFormatException)
        {
            request = null;
            return KeysetSignerStatus.Malformed;
        }
    }

    internal static byte[] EncodeSignatures(IReadOnlyList<BlindSignature> signatures)
    {
        var w = new ProtocolWriter(4 + signatures.Count * (2 + signatures[0].Length));
        w.U8(Version);
        w.U8((byte)KeysetSignerStatus.Ok);
        w.U16(signatures.Count);
        foreach (var signature in signatures)
        {
            w.Opaque16(signature.AsSpan());
        }

        return w.ToArray();
    }

    internal static byte[] EncodePublicKey(ReadOnlySpan<byte> subjectPublicKeyInfo)
    {
        var w = new ProtocolWriter(4 + subjectPublicKeyInfo.Length);
        w.U8(Version);
        w.U8((byte)KeysetSignerStatus.Ok);
        w.Opaque16(subjectPublicKeyInfo);
        return w.ToArray();
    }

    internal static byte[] EncodeError(KeysetSignerStatus status) => [Version, (byte)status];

    /// <summary>The response's status; on Ok, the reader is positioned at the payload.</summary>
    /// <exception cref="ProtocolFormatException">The response is not a signer response.</exception>
    internal static KeysetSignerStatus ReadStatus(ref ProtocolReader reader)
    {
        reader.Version(Version, "signer response");
        byte status = reader.U8("status");
        if (status > (byte)KeysetSignerStatus.FrameTooLarge)
        {
            throw new ProtocolFormatException("Unknown signer status.");
        }

        var value = (KeysetSignerStatus)status;
        if (value != KeysetSignerStatus.Ok)
        {
            reader.End("signer error");
        }

        return value;
    }

    /// <summary>The signatures of an Ok Sign response: exactly <paramref name="count"/>, each <paramref name="length"/> bytes.</summary>
    /// <exception cref="ProtocolFormatException">The payload is not that.</exception>
    internal static BlindSignature[] ReadSignatures(ref ProtocolReader reader, int count, int length)
    {
        if (reader.Count("blind_signatures", MaxBatch) != count)
        {
            throw new ProtocolFormatException("The signer returned another number of signatures than messages.");
        }

        var signatures = new BlindSignature[count];
        for (int i = 0; i < count; i++)
        {
            signatures[i] = BlindSignature.FromBytes(reader.Opaque16("blind_signature", length, length));
        }

        reader.End("signer response");
        return signatures;
    }

    /// <summary>The SubjectPublicKeyInfo of an Ok PublicKey, Generate or File response.</summary>
    /// <exception cref="ProtocolFormatException">The payload is not that.</exception>
    internal static byte[] ReadPublicKey(ref ProtocolReader reader)
    {
        byte[] key = reader.Opaque16("subject_public_key_info", 1, KeysetDescriptor.MaxPublicKeyLength).ToArray();
        reader.End("signer response");
        return key;
    }

    /// <summary>Writes one frame: the u32 big-endian length, then the body, in one write.</summary>
    internal static async ValueTask WriteFrameAsync(Stream stream, byte[] body, CancellationToken cancellationToken)
    {
        byte[] frame = new byte[4 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)body.Length);
        body.CopyTo(frame, 4);
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads one frame. Null with Ok at a clean end of stream (before a frame starts); null with FrameTooLarge when the
    /// length is zero or above the limit (the body is not read: the connection cannot be resynchronised).
    /// </summary>
    /// <exception cref="EndOfStreamException">The stream ended inside a frame.</exception>
    internal static async ValueTask<(byte[]? Body, KeysetSignerStatus Status)> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] header = new byte[4];
        int read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            return (null, KeysetSignerStatus.Ok);
        }

        if (read < header.Length)
        {
            throw new EndOfStreamException("The stream ended inside a frame header.");
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length == 0 || length > MaxFrameLength)
        {
            return (null, KeysetSignerStatus.FrameTooLarge);
        }

        byte[] body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        return (body, KeysetSignerStatus.Ok);
    }

    private static ProtocolWriter Start(KeysetSignerOperation operation, int capacity)
    {
        var w = new ProtocolWriter(capacity);
        w.U8(Version);
        w.U8((byte)operation);
        return w;
    }

    private static KeysetSignerRequest ReadGenerate(ref ProtocolReader reader)
    {
        byte mode = reader.U8("mode");
        if (mode is not ((byte)BlindRsaScheme.Rsabssa or (byte)BlindRsaScheme.Rsapbssa))
        {
            throw new ProtocolFormatException("Unknown blind-RSA mode.");
        }

        int bits = reader.U16("modulus_bits");
        if (bits is not (2048 or 3072 or 4096))
        {
            throw new ProtocolFormatException("The modulus has 2048, 3072 or 4096 bits.");
        }

        return new KeysetSignerRequest(KeysetSignerOperation.Generate, null, [], (BlindRsaScheme)mode, bits);
    }

    private static KeysetDescriptor ReadDescriptor(ref ProtocolReader reader)
    {
        var encoded = reader.Opaque16("descriptor", 1, MaxDescriptorLength);
        return KeysetDescriptor.TryDecode(encoded, out var descriptor)
            ? descriptor
            : throw new ProtocolFormatException("The descriptor is not a canonical keyset descriptor.");
    }

    private static BlindedMessage[] ReadMessages(ref ProtocolReader reader)
    {
        int count = reader.Count("blinded_messages", MaxBatch);
        if (count == 0)
        {
            throw new ProtocolFormatException("A sign request has at least one blinded message.");
        }

        var messages = new BlindedMessage[count];
        for (int i = 0; i < count; i++)
        {
            messages[i] = BlindedMessage.FromBytes(reader.Opaque16("blinded_message", 1, MaxElementLength));
        }

        return messages;
    }
}
