namespace Wallet.Protocol.Tests.Keysets.Remote;

/// <summary>A connection whose peer sent fixed bytes and then closed: reads come from them, writes are kept.</summary>
internal sealed class ScriptedConnection(byte[] received) : Stream
{
    private readonly MemoryStream _in = new(received);

    public MemoryStream Sent { get; } = new();

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => _in.Read(buffer, offset, count);

    public override void Write(byte[] buffer, int offset, int count) => Sent.Write(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>The frames the service sent back, as bodies.</summary>
    public List<byte[]> Responses()
    {
        var frames = new List<byte[]>();
        var bytes = Sent.ToArray().AsSpan();
        while (!bytes.IsEmpty)
        {
            int length = (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
            frames.Add(bytes.Slice(4, length).ToArray());
            bytes = bytes[(4 + length)..];
        }

        return frames;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _in.Dispose();
            Sent.Dispose();
        }

        base.Dispose(disposing);
    }
}
