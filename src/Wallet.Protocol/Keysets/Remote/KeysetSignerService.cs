using System.Collections.Concurrent;

namespace Wallet.Protocol.Keysets.Remote;

/// <summary>
/// The signing process's side of <see cref="KeysetSignerProtocol"/>: answers the requests of one connection with the
/// keys of a key store, which never leave it. What samples/Scheme.Signer runs for every connection on its socket.
/// </summary>
/// <remarks>
/// docs/PROTOCOL.md 8.2. Bad input is answered with a typed error (<see cref="KeysetSignerStatus"/>), never an
/// exception: a malformed request gets Malformed and the connection goes on; a frame longer than
/// <see cref="KeysetSignerProtocol.MaxFrameLength"/> gets FrameTooLarge and the connection is closed. Signing checks
/// every message's length and range, and <see cref="BlindRsaSigner"/> verifies its own output (RFC 9474 section 4.3).
/// A generated key waits in memory, unexportable by the protocol, until a File request puts it in the key store; the
/// oldest of more than <see cref="MaxUnfiledKeys"/> is dropped. Thread-safe: one service serves every connection.
/// </remarks>
public sealed class KeysetSignerService : IDisposable
{
    /// <summary>How many generated keys may wait to be filed; a scheme that crashed between the two steps leaves one.</summary>
    public const int MaxUnfiledKeys = 16;

    private readonly InProcessKeysetSignerSource _source;
    private readonly ConcurrentDictionary<KeysetId, (IKeysetSigner Signer, byte[] Modulus)> _signers = new();
    private readonly Dictionary<string, BlindRsaPrivateKey> _unfiled = new(StringComparer.Ordinal);
    private readonly Queue<string> _unfiledOrder = new();
    private int _disposed;

    /// <summary>Creates the service over a key store.</summary>
    /// <param name="keyStore">Where the keys are kept (a <see cref="SealedFileKeysetKeyStore"/> in the sample); not owned.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyStore"/> is null.</exception>
    public KeysetSignerService(IKeysetKeyStore keyStore)
    {
        _source = new InProcessKeysetSignerSource(keyStore);
    }

    /// <summary>Serves one connection until the peer closes it, a frame is too large, or <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="connection">The connection's stream; not disposed here.</param>
    /// <param name="cancellationToken">Stops serving.</param>
    /// <returns>A task that completes when the connection is done; it faults only on cancellation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="connection"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task ServeAsync(Stream connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        try
        {
            while (true)
            {
                var (body, status) = await KeysetSignerProtocol.ReadFrameAsync(connection, cancellationToken).ConfigureAwait(false);
                if (body is null)
                {
                    if (status != KeysetSignerStatus.Ok)
                    {
                        await KeysetSignerProtocol.WriteFrameAsync(connection, KeysetSignerProtocol.EncodeError(status), cancellationToken).ConfigureAwait(false);
                    }

                    return;
                }

                byte[] response = await HandleAsync(body, cancellationToken).ConfigureAwait(false);
                await KeysetSignerProtocol.WriteFrameAsync(connection, response, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The peer went away mid-frame or mid-answer: nothing to answer.
        }
    }

    /// <summary>Disposes the generated keys that were never filed.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        lock (_unfiled)
        {
            foreach (var key in _unfiled.Values)
            {
                key.Dispose();
            }

            _unfiled.Clear();
            _unfiledOrder.Clear();
        }
    }

    /// <summary>Answers one request body; a refusal is an error response, never an exception (except cancellation).</summary>
    internal async Task<byte[]> HandleAsync(byte[] body, CancellationToken cancellationToken)
    {
        var status = KeysetSignerProtocol.TryDecodeRequest(body, out var request);
        if (status != KeysetSignerStatus.Ok)
        {
            return KeysetSignerProtocol.EncodeError(status);
        }

        try
        {
            return request!.Operation switch
            {
                KeysetSignerOperation.Sign => await SignAsync(request.Descriptor!, request.Messages, cancellationToken).ConfigureAwait(false),
                KeysetSignerOperation.PublicKey => await PublicKeyAsync(request.Descriptor!, cancellationToken).ConfigureAwait(false),
                KeysetSignerOperation.Generate => Generate(request.Mode, request.ModulusBits),
                _ => await FileAsync(request.Descriptor!, cancellationToken).ConfigureAwait(false),
            };
        }
        catch (Exception e) when (e is KeysetKeyStoreException or IOException or CryptographicException)
        {
            // The key could not be opened or stored, or the self-check failed (BlindRsaException is a CryptographicException).
            return KeysetSignerProtocol.EncodeError(KeysetSignerStatus.SigningFailed);
        }
    }

    private async Task<byte[]> SignAsync(KeysetDescriptor descriptor, IReadOnlyList<BlindedMessage> messages, CancellationToken cancellationToken)
    {
        var (signer, status) = await SignerAsync(descriptor, cancellationToken).ConfigureAwait(false);
        if (signer is null)
        {
            return KeysetSignerProtocol.EncodeError(status);
        }

        // RFC 9474 section 4.3: each message is an integer below n in exactly modulus_len bytes (zero is refused by the signer).
        byte[] modulus = signer.Value.Modulus;
        foreach (var message in messages)
        {
            if (message.Length != modulus.Length || message.AsSpan().SequenceCompareTo(modulus) >= 0 || !message.AsSpan().ContainsAnyExcept((byte)0))
            {
                return KeysetSignerProtocol.EncodeError(KeysetSignerStatus.InvalidMessage);
            }
        }

        var signatures = await signer.Value.Signer.BlindSignAsync(messages, cancellationToken).ConfigureAwait(false);
        return KeysetSignerProtocol.EncodeSignatures(signatures);
    }

    private async Task<byte[]> PublicKeyAsync(KeysetDescriptor descriptor, CancellationToken cancellationToken)
    {
        var (signer, status) = await SignerAsync(descriptor, cancellationToken).ConfigureAwait(false);
        return signer is null
            ? KeysetSignerProtocol.EncodeError(status)
            : KeysetSignerProtocol.EncodePublicKey(signer.Value.Signer.PublicKey.ExportSubjectPublicKeyInfo());
    }

    // The key waits unfiled: its keyset id is the hash of a descriptor the scheme makes of its public key afterwards.
    private byte[] Generate(BlindRsaScheme mode, int modulusBits)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var key = BlindRsaPrivateKey.Generate(modulusBits, mode, exportable: true);
        byte[] publicKey = key.PublicKey.ExportSubjectPublicKeyInfo();
        lock (_unfiled)
        {
            if (_unfiledOrder.Count >= MaxUnfiledKeys && _unfiled.Remove(_unfiledOrder.Dequeue(), out var oldest))
            {
                oldest.Dispose();
            }

            string name = Convert.ToHexStringLower(SHA256.HashData(publicKey));
            if (_unfiled.TryAdd(name, key))
            {
                _unfiledOrder.Enqueue(name);
            }
            else
            {
                key.Dispose();
            }
        }

        return KeysetSignerProtocol.EncodePublicKey(publicKey);
    }

    // Puts the generated key that the descriptor carries into the key store under the descriptor's keyset id. A retry
    // after the key was filed finds it in the store and answers the same.
    private async Task<byte[]> FileAsync(KeysetDescriptor descriptor, CancellationToken cancellationToken)
    {
        string name = Convert.ToHexStringLower(SHA256.HashData(descriptor.PublicKey));
        BlindRsaPrivateKey? key;
        lock (_unfiled)
        {
            _unfiled.Remove(name, out key);
        }

        if (key is null)
        {
            return await PublicKeyAsync(descriptor, cancellationToken).ConfigureAwait(false);
        }

        using (key)
        {
            if (key.Scheme != descriptor.Mode)
            {
                return KeysetSignerProtocol.EncodeError(KeysetSignerStatus.KeyMismatch);
            }

            await _source.KeyStore.PutAsync(descriptor.Id, key, cancellationToken).ConfigureAwait(false);
        }

        return await PublicKeyAsync(descriptor, cancellationToken).ConfigureAwait(false);
    }

    // The signer of the key filed under the descriptor's id, once it is known to be the descriptor's key.
    private async Task<((IKeysetSigner Signer, byte[] Modulus)? Signer, KeysetSignerStatus Status)> SignerAsync(KeysetDescriptor descriptor, CancellationToken cancellationToken)
    {
        if (_signers.TryGetValue(descriptor.Id, out var known))
        {
            return (known, KeysetSignerStatus.Ok);
        }

        var signer = await _source.TryGetSignerAsync(descriptor, cancellationToken).ConfigureAwait(false);
        if (signer is null)
        {
            return (null, KeysetSignerStatus.UnknownKeyset);
        }

        if (signer.PublicKey.Scheme != descriptor.Mode || !signer.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(descriptor.PublicKey))
        {
            return (null, KeysetSignerStatus.KeyMismatch);
        }

        var entry = (signer, signer.PublicKey.ExportModulus());
        _signers.TryAdd(descriptor.Id, entry);
        return (entry, KeysetSignerStatus.Ok);
    }
}
