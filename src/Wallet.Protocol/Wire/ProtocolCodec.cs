namespace Wallet.Protocol.Wire;

/// <summary>The one place that turns a body reader into Decode/TryDecode with the trailing-bytes check.</summary>
internal static class ProtocolCodec
{
    public delegate T Reader<out T>(ref ProtocolReader reader);

    public static T Decode<T>(ReadOnlySpan<byte> encoded, Reader<T> read, string message)
    {
        var reader = new ProtocolReader(encoded);
        T value;
        try
        {
            value = read(ref reader);
        }
        catch (ArgumentException ex)
        {
            // Value-type constructors validate too; for network input that is a format error, not a caller bug.
            throw new ProtocolFormatException($"Invalid field in {message}.", ex);
        }

        reader.End(message);
        return value;
    }

    public static bool TryDecode<T>(ReadOnlySpan<byte> encoded, Reader<T> read, string message, [NotNullWhen(true)] out T? value)
        where T : class
    {
        try
        {
            value = Decode(encoded, read, message);
            return true;
        }
        catch (ProtocolFormatException)
        {
            value = null;
            return false;
        }
    }

    /// <summary>Refuses a decoded list that is not in strictly ascending (canonical) order.</summary>
    public static void RequireAscending<T>(ImmutableArray<T> items, Comparison<T> compare, string error)
    {
        for (int i = 1; i < items.Length; i++)
        {
            if (compare(items[i - 1], items[i]) >= 0)
            {
                throw new ProtocolFormatException(error);
            }
        }
    }

    public static byte[] Encode(Action<ProtocolWriter> write)
    {
        var writer = new ProtocolWriter();
        write(writer);
        return writer.ToArray();
    }
}
