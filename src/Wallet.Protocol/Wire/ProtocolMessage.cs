using System.Runtime.CompilerServices;

namespace Wallet.Protocol.Wire;

/// <summary>
/// Base of the PB/1 message types: a message declares its name, its reader and its writer once (through the codec
/// its static initializer registers) and inherits the members every message has, <see cref="Encode"/>,
/// <see cref="Decode"/>, <see cref="TryDecode"/> and <see cref="Hash"/>, written once here instead of in each type.
/// </summary>
/// <typeparam name="TSelf">The message type itself.</typeparam>
public abstract class ProtocolMessage<TSelf>
    where TSelf : ProtocolMessage<TSelf>
{
    private static MessageCodec<TSelf>? s_codec;

    /// <summary>Only PB/1 message types of this assembly derive from this base.</summary>
    private protected ProtocolMessage()
    {
    }

    /// <summary>The codec the message type registered; running its static initializer on first use.</summary>
    internal static MessageCodec<TSelf> Format => Volatile.Read(ref s_codec) ?? LoadCodec();

    /// <summary>The canonical encoding.</summary>
    /// <returns>The bytes.</returns>
    public byte[] Encode() => Format.Encode((TSelf)this);

    /// <summary>SHA-256 of the canonical encoding: what receipts, spends and the log commit to.</summary>
    /// <returns>32 bytes.</returns>
    public byte[] Hash() => Format.Hash((TSelf)this);

    /// <summary>Decodes a canonical encoding.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <returns>The message; a signed one is not yet verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not a canonical encoding of this message type.</exception>
    public static TSelf Decode(ReadOnlySpan<byte> encoded) => Format.Decode(encoded);

    /// <summary>Decodes without throwing.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <param name="message">The message, or null.</param>
    /// <returns>Whether the bytes were a canonical encoding of this message type.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out TSelf? message) => Format.TryDecode(encoded, out message);

    /// <summary>Writes the message into an enclosing message's encoding.</summary>
    internal void Write(ProtocolWriter writer) => Format.Write((TSelf)this, writer);

    /// <summary>Reads the message from an enclosing message's encoding.</summary>
    internal static TSelf Read(ref ProtocolReader reader) => Format.Read(ref reader);

    /// <summary>Called once from the message type's static initializer with its codec.</summary>
    /// <typeparam name="TCodec">The codec's type (plain or signed).</typeparam>
    /// <param name="codec">The codec.</param>
    /// <returns><paramref name="codec"/>, for the type's own static field.</returns>
    private protected static TCodec Register<TCodec>(TCodec codec)
        where TCodec : MessageCodec<TSelf>
    {
        Volatile.Write(ref s_codec, codec);
        return codec;
    }

    private static MessageCodec<TSelf> LoadCodec()
    {
        // Decode can be the first thing a program does with a message type, before anything has touched the type's
        // own static fields; running its static initializer registers the codec.
        RuntimeHelpers.RunClassConstructor(typeof(TSelf).TypeHandle);
        return Volatile.Read(ref s_codec)
            ?? throw new InvalidOperationException($"{typeof(TSelf).Name} did not register its codec.");
    }
}
