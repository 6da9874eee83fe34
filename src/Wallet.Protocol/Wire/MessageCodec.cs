namespace Wallet.Protocol.Wire;

/// <summary>
/// What a PB/1 message type declares once (its name in errors, its reader and its writer) to get the members every
/// message has: <c>Encode</c>, <c>Decode</c>, <c>TryDecode</c> and <c>Hash</c>.
/// </summary>
/// <typeparam name="T">The message type.</typeparam>
internal class MessageCodec<T>(string name, ProtocolCodec.Reader<T> read, Action<T, ProtocolWriter> write)
    where T : class
{
    /// <summary>The message's name in format errors, for example "withdrawal receipt".</summary>
    public string Name => name;

    /// <summary>Writes the message into an enclosing message's encoding.</summary>
    public void Write(T message, ProtocolWriter writer) => write(message, writer);

    public byte[] Encode(T message) => ProtocolCodec.Encode(w => write(message, w));

    public T Decode(ReadOnlySpan<byte> encoded) => ProtocolCodec.Decode(encoded, read, name);

    public bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out T? message) =>
        ProtocolCodec.TryDecode(encoded, read, name, out message);

    /// <summary>SHA-256 of the full encoding: what receipts and spends commit to.</summary>
    public byte[] Hash(T message) => SHA256.HashData(Encode(message));
}
