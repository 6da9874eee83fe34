namespace Wallet.Protocol.Wire;

/// <summary>
/// What a PB/1 message type declares once (its name in errors, its encoding version, its field reader and its field
/// writer) to get the members every message has: <c>Encode</c>, <c>Decode</c>, <c>TryDecode</c> and <c>Hash</c>.
/// The version byte that starts every message is written and checked here, so no message type can forget it.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
internal class MessageCodec<T>(string name, byte version, ProtocolCodec.Reader<T> readFields, Action<T, ProtocolWriter> writeFields)
    where T : class
{
    /// <summary>The message's name in format errors, for example "withdrawal receipt".</summary>
    public string Name => name;

    /// <summary>The encoding version byte the message starts with.</summary>
    public byte Version => version;

    /// <summary>Writes the message (version byte first) into an enclosing message's encoding.</summary>
    public void Write(T message, ProtocolWriter writer)
    {
        writer.U8(version);
        writeFields(message, writer);
    }

    /// <summary>Reads the message (checking its version byte) from an enclosing message's encoding.</summary>
    public T Read(ref ProtocolReader reader)
    {
        reader.Version(version, name);
        return readFields(ref reader);
    }

    public byte[] Encode(T message) => ProtocolCodec.Encode(w => Write(message, w));

    public T Decode(ReadOnlySpan<byte> encoded) => ProtocolCodec.Decode(encoded, Read, name);

    public bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out T? message) =>
        ProtocolCodec.TryDecode(encoded, Read, name, out message);

    /// <summary>SHA-256 of the full encoding: what receipts and spends commit to.</summary>
    public byte[] Hash(T message) => SHA256.HashData(Encode(message));
}
