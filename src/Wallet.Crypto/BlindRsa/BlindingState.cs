namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// The client's secret state between <see cref="BlindRsaClient.Blind(ReadOnlySpan{byte})"/> and
/// <see cref="BlindRsaClient.Finalize(BlindingState, BlindSignature)"/>: the blinding inverse (which would link the
/// blinded message to the final signature) and the prepared message. Opaque; wiped on <see cref="Dispose"/>; never
/// shown by <see cref="ToString"/>.
/// </summary>
/// <remarks>
/// Made by <see cref="BlindRsaClient"/>'s Blind methods, or by <see cref="FromInverse"/> from a blinding inverse
/// the caller already holds (a published test vector's <c>inv</c>, or a blinding kept across a restart).
/// </remarks>
public sealed class BlindingState : IDisposable
{
    private readonly byte[] _inverse;
    private readonly byte[] _preparedMessage;
    private readonly byte[] _metadata;
    private int _disposed;

    internal BlindingState(BlindRsaAlgorithm algorithm, BlindRsaPublicKey publicKey, byte[] preparedMessage, byte[] metadata, byte[] inverse, BlindedMessage blindedMessage)
    {
        (Algorithm, PublicKey, _preparedMessage, _metadata, _inverse, BlindedMessage) = (algorithm, publicKey, preparedMessage, metadata, inverse, blindedMessage);
    }

    /// <summary>
    /// Rebuilds the state of a blinding from its parts, so that <see cref="BlindRsaClient.Finalize(BlindingState, BlindSignature)"/>
    /// can run from a given blinding inverse: replaying a published vector's <c>inv</c> (RFC 9474 appendix A, the
    /// partially blind draft's vectors), or finishing a blinding whose parts were kept elsewhere.
    /// </summary>
    /// <param name="algorithm">The variant the message was blinded for.</param>
    /// <param name="publicKey">The signer's public key (for RSAPBSSA, the master key), as given to the client.</param>
    /// <param name="preparedMessage">The prepared message that was blinded (RFC 9474 section 4.1 output).</param>
    /// <param name="blindedMessage">The blinded message that was sent to the signer.</param>
    /// <param name="inverse">The blinding inverse <c>inv</c> = r⁻¹ mod n, big-endian, exactly the modulus length.</param>
    /// <param name="metadata">The public metadata for RSAPBSSA; empty for RSABSSA.</param>
    /// <returns>A new state holding copies of the inputs; dispose it to wipe them.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The key serves another scheme or is a derived key, metadata was given for an
    /// RSABSSA variant, or the metadata is longer than 4096 bytes.</exception>
    /// <exception cref="BlindRsaException"><see cref="BlindRsaError.InvalidLength"/>: the inverse or the blinded message is
    /// not the modulus length; <see cref="BlindRsaError.OutOfRange"/>: either is zero or not below n;
    /// <see cref="BlindRsaError.BlindingInverseFailure"/>: the inverse has no inverse modulo n.</exception>
    /// <remarks>
    /// RFC 9474 section 4.4 takes <c>inv</c> as an input of Finalize; this is the entry that accepts it, as circl's
    /// fixed-blinding state and blindrsa-ts's <c>finalize(inv)</c> do. A wrong inverse cannot produce a bad
    /// signature: Finalize verifies what it unblinds and throws <see cref="BlindRsaError.InvalidSignature"/> instead.
    /// </remarks>
    public static BlindingState FromInverse(
        BlindRsaAlgorithm algorithm,
        BlindRsaPublicKey publicKey,
        ReadOnlySpan<byte> preparedMessage,
        BlindedMessage blindedMessage,
        ReadOnlySpan<byte> inverse,
        ReadOnlySpan<byte> metadata = default)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(blindedMessage);
        BlindRsaVerifier.CheckPair(algorithm, publicKey, nameof(publicKey));
        if (algorithm.Scheme == BlindRsaScheme.Rsabssa && !metadata.IsEmpty)
        {
            throw new ArgumentException("RSABSSA messages have no metadata.", nameof(metadata));
        }

        DerivedKeyCache.CheckMetadata(metadata);
        int k = publicKey.ModulusLength;
        if (inverse.Length != k || blindedMessage.Length != k)
        {
            throw new BlindRsaException(BlindRsaError.InvalidLength);
        }

        if (IsZero(inverse) || IsZero(blindedMessage.AsSpan())
            || !BlindRsaVerifier.IsBelowModulus(inverse, publicKey) || !BlindRsaVerifier.IsBelowModulus(blindedMessage.AsSpan(), publicKey))
        {
            throw new BlindRsaException(BlindRsaError.OutOfRange);
        }

        // An inverse sharing a factor with n is no inverse of any r, and unblinding with it would leak that factor.
        if (!RsaIntegers.IsCoprime(RsaIntegers.NetFromBytes(inverse), RsaIntegers.ToNet(publicKey.Material.N)))
        {
            throw new BlindRsaException(BlindRsaError.BlindingInverseFailure);
        }

        return new BlindingState(algorithm, publicKey, preparedMessage.ToArray(), metadata.ToArray(), inverse.ToArray(), BlindedMessage.FromBytes(blindedMessage.AsSpan()));
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

    private static bool IsZero(ReadOnlySpan<byte> value) => !value.ContainsAnyExcept((byte)0);

    /// <summary>Names the variant only.</summary>
    /// <returns>A short description without secrets.</returns>
    public override string ToString() => $"BlindingState({Algorithm.Name})";
}
