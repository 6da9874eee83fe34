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

    // A message that still decodes (and re-encodes, so old signatures verify) older versions of its layout.
    private byte _oldest;
    private Func<T, byte>? _versionOf;
    private VersionedReader? _readVersioned;

    /// <summary>Reads a message's fields after its version byte, knowing which version it is.</summary>
    public delegate T VersionedReader(ref ProtocolReader reader, byte version);

    /// <summary>The version a message is written in: the current one unless the message keeps an older layout.</summary>
    public byte VersionOf(T message) => _versionOf?.Invoke(message) ?? version;

    /// <summary>
    /// Accepts versions from <paramref name="oldest"/> to the current one; each message says its own version, so one
    /// of an older layout re-encodes to its original bytes (and its signature still verifies).
    /// </summary>
    public void AcceptFrom(byte oldest, Func<T, byte> versionOf, VersionedReader read) =>
        (_oldest, _versionOf, _readVersioned) = (oldest, versionOf, read);

    /// <summary>Writes the message (version byte first) into an enclosing message's encoding.</summary>
    public void Write(T message, ProtocolWriter writer)
    {
        writer.U8(VersionOf(message));
        writeFields(message, writer);
    }

    /// <summary>Reads the message (checking its version byte) from an enclosing message's encoding.</summary>
    public T Read(ref ProtocolReader reader)
    {
        if (_readVersioned is { } versioned)
        {
            return versioned(ref reader, reader.Version(_oldest, version, name));
        }

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
