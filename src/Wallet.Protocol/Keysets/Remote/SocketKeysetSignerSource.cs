using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Wallet.Protocol.Keysets.Remote;

/// <summary>
/// The keysets' signers in a separate signing process (samples/Scheme.Signer) reached over a Unix domain socket with
/// <see cref="KeysetSignerProtocol"/>: keys are generated, kept and used there, and only public keys, descriptors,
/// blinded messages and blind signatures cross the socket.
/// </summary>
/// <remarks>
/// <para>
/// docs/PROTOCOL.md 8.2. A generation is two requests: Generate (the process makes a key and answers its public key),
/// then File (the process puts it in its key store under the keyset id of the descriptor made of that public key).
/// </para>
/// <para>
/// Connections are pooled. When the process is unreachable, or answers with an error, the call throws
/// <see cref="KeysetSignerUnavailableException"/>: the scheme then answers SigningKeyUnavailable, having debited nothing.
/// A pooled connection may be left over from a process that has restarted since, so a failure on one drops every
/// pooled connection and tries once more on a fresh one (blind signing is deterministic, so asking twice is harmless).
/// The signing process checks its own output (RFC 9474 section 4.3); this side checks the answer's shape (count and
/// lengths). Owns the connections and the public keys of the signers it hands out: dispose it after the scheme.
/// </para>
/// </remarks>
public sealed class SocketKeysetSignerSource : IKeysetSignerSource, IDisposable
{
    private const int MaxIdleConnections = 8;

    private readonly ConcurrentQueue<Socket> _idle = new();
    private readonly ConcurrentBag<BlindRsaPublicKey> _publicKeys = [];
    private int _disposed;

    /// <summary>Creates the source; nothing is connected until the first request.</summary>
    /// <param name="socketPath">The path of the signing process's Unix domain socket.</param>
    /// <exception cref="ArgumentNullException"><paramref name="socketPath"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="socketPath"/> is empty.</exception>
    public SocketKeysetSignerSource(string socketPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        SocketPath = Path.GetFullPath(socketPath);
    }

    /// <summary>The socket's path.</summary>
    public string SocketPath { get; }

    /// <summary>How long one exchange (connect, request, answer) may take before the signer counts as unavailable; 30 s by default.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The source has been disposed.</exception>
    public async ValueTask<IKeysetSigner?> TryGetSignerAsync(KeysetDescriptor keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        byte[] response = await ExchangeAsync(KeysetSignerProtocol.EncodeDescriptor(KeysetSignerOperation.PublicKey, keyset), keyset.Id, cancellationToken).ConfigureAwait(false);
        byte[]? publicKey = Read(response, keyset.Id, KeysetSignerProtocol.ReadPublicKey, KeysetSignerStatus.UnknownKeyset);
        return publicKey is null ? null : Signer(keyset, publicKey);
    }

    /// <inheritdoc/>
    /// <exception cref="ObjectDisposedException">The source has been disposed.</exception>
    public async ValueTask<IKeysetSigner> GenerateAsync(BlindRsaScheme mode, int modulusBits, Func<byte[], KeysetDescriptor> describe, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(describe);
        if (mode is not (BlindRsaScheme.Rsabssa or BlindRsaScheme.Rsapbssa))
        {
            throw new ArgumentOutOfRangeException(nameof(mode));
        }

        if (modulusBits is not (2048 or 3072 or 4096))
        {
            throw new ArgumentOutOfRangeException(nameof(modulusBits), "The signing process generates 2048, 3072 or 4096-bit keys.");
        }

        byte[] generated = await ExchangeAsync(KeysetSignerProtocol.EncodeGenerate(mode, modulusBits), null, cancellationToken).ConfigureAwait(false);
        byte[] publicKey = Read(generated, null, KeysetSignerProtocol.ReadPublicKey)!;
        var descriptor = describe(publicKey) ?? throw new ArgumentException("The descriptor is null.", nameof(describe));
        if (!descriptor.PublicKey.SequenceEqual(publicKey) || descriptor.Mode != mode)
        {
            throw new ArgumentException("The descriptor does not carry the generated key and its mode.", nameof(describe));
        }

        byte[] filed = await ExchangeAsync(KeysetSignerProtocol.EncodeDescriptor(KeysetSignerOperation.File, descriptor), descriptor.Id, cancellationToken).ConfigureAwait(false);
        byte[] held = Read(filed, descriptor.Id, KeysetSignerProtocol.ReadPublicKey)!;
        if (!held.AsSpan().SequenceEqual(publicKey))
        {
            throw new KeysetSignerUnavailableException(descriptor.Id, null, "the signing process filed another key than it generated.");
        }

        var signer = Signer(descriptor, publicKey);
        if (signer.PublicKey.ModulusBits != modulusBits)
        {
            throw new KeysetSignerUnavailableException(descriptor.Id, null, "the signing process generated a key of another size.");
        }

        return signer;
    }

    /// <summary>Closes the pooled connections and disposes the public keys of the signers handed out.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        DropIdle();
        foreach (var key in _publicKeys)
        {
            key.Dispose();
        }
    }

    /// <summary>Names the socket only.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"SocketKeysetSignerSource({SocketPath})";

    // One request and its answer, on a pooled connection or a fresh one; unreachable or unreadable is unavailable.
    internal async Task<byte[]> ExchangeAsync(byte[] request, KeysetId? keyset, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        for (int attempt = 0; ; attempt++)
        {
            bool pooled = _idle.TryDequeue(out var socket);
            try
            {
                socket ??= await ConnectAsync(timeout.Token).ConfigureAwait(false);
                using var stream = new NetworkStream(socket, ownsSocket: false);
                await KeysetSignerProtocol.WriteFrameAsync(stream, request, timeout.Token).ConfigureAwait(false);
                var (body, status) = await KeysetSignerProtocol.ReadFrameAsync(stream, timeout.Token).ConfigureAwait(false);
                if (body is null)
                {
                    throw new IOException(status == KeysetSignerStatus.Ok ? "The signing process closed the connection." : "The signing process sent an oversized frame.");
                }

                Release(socket);
                return body;
            }
            catch (Exception e) when (e is IOException or SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                socket?.Dispose();
                DropIdle();
                if (pooled && attempt == 0 && !timeout.IsCancellationRequested)
                {
                    continue;
                }

                throw new KeysetSignerUnavailableException(keyset, null, e is OperationCanceledException ? "the signing process did not answer in time." : "the signing process is unreachable.", e);
            }
        }
    }

    // An answer's payload; an error status is unavailability, except the one the caller expects (then null).
    internal static T? Read<T>(byte[] response, KeysetId? keyset, ProtocolCodec.Reader<T> readPayload, KeysetSignerStatus? expectedError = null)
        where T : class
    {
        var reader = new ProtocolReader(response);
        try
        {
            var status = KeysetSignerProtocol.ReadStatus(ref reader);
            if (status == KeysetSignerStatus.Ok)
            {
                return readPayload(ref reader);
            }

            return status == expectedError ? null : throw new KeysetSignerUnavailableException(keyset, status, "the signing process refused the request.");
        }
        catch (ProtocolFormatException e)
        {
            throw new KeysetSignerUnavailableException(keyset, null, "the signing process's answer is malformed.", e);
        }
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void Release(Socket socket)
    {
        if (_disposed != 0 || _idle.Count >= MaxIdleConnections)
        {
            socket.Dispose();
            return;
        }

        _idle.Enqueue(socket);
    }

    private void DropIdle()
    {
        while (_idle.TryDequeue(out var socket))
        {
            socket.Dispose();
        }
    }

    private SocketKeysetSigner Signer(KeysetDescriptor descriptor, byte[] publicKey)
    {
        if (!BlindRsaPublicKey.TryImportSubjectPublicKeyInfo(publicKey, out var key, descriptor.Mode))
        {
            throw new KeysetSignerUnavailableException(descriptor.Id, null, "the signing process answered a public key that is not an RSA key.");
        }

        _publicKeys.Add(key);
        return new SocketKeysetSigner(this, descriptor, key);
    }
}
