using System.Security.Cryptography;

namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// The client's secret state between <see cref="BlindRsaClient.Blind(ReadOnlySpan{byte})"/> and
/// <see cref="BlindRsaClient.Finalize(BlindingState, BlindSignature)"/>: the blinding inverse (which would link the
/// blinded message to the final signature) and the prepared message. Opaque; wiped on <see cref="Dispose"/>; never
/// shown by <see cref="ToString"/>.
/// </summary>
public sealed class BlindingState : IDisposable
{
    private readonly byte[] _inverse;
    private readonly byte[] _preparedMessage;
    private readonly byte[] _metadata;
    private int _disposed;

    internal BlindingState(BlindRsaAlgorithm algorithm, BlindRsaPublicKey publicKey, byte[] preparedMessage, byte[] metadata, byte[] inverse, BlindedMessage blindedMessage)
    {
        Algorithm = algorithm;
        PublicKey = publicKey;
        _preparedMessage = preparedMessage;
        _metadata = metadata;
        _inverse = inverse;
        BlindedMessage = blindedMessage;
    }

    /// <summary>The message to send to the signer.</summary>
    public BlindedMessage BlindedMessage { get; }

    /// <summary>The variant this state was made for.</summary>
    public BlindRsaAlgorithm Algorithm { get; }

    internal BlindRsaPublicKey PublicKey { get; }

    internal ReadOnlySpan<byte> Inverse
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            return _inverse;
        }
    }

    internal ReadOnlySpan<byte> PreparedMessage
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            return _preparedMessage;
        }
    }

    internal ReadOnlySpan<byte> Metadata => _metadata;

    /// <summary>A copy of the prepared message this state blinds (what the final signature verifies against).</summary>
    /// <returns>The prepared message.</returns>
    /// <exception cref="ObjectDisposedException">The state has been disposed.</exception>
    public byte[] ExportPreparedMessage() => PreparedMessage.ToArray();

    /// <summary>Wipes the blinding inverse and the prepared message.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            CryptographicOperations.ZeroMemory(_inverse);
            CryptographicOperations.ZeroMemory(_preparedMessage);
        }
    }

    /// <summary>Names the variant only.</summary>
    /// <returns>A short description without secrets.</returns>
    public override string ToString() => $"BlindingState({Algorithm.Name})";
}
