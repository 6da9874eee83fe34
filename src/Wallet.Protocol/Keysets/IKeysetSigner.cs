namespace Wallet.Protocol.Keysets;

/// <summary>
/// Blind-signs for one keyset: the one operation the scheme needs from a keyset's private key, so the key can stay in
/// this process (<see cref="InProcessKeysetSignerSource"/>), in a separate signing process or in a hardware security
/// module. An <see cref="IKeysetSignerSource"/> hands signers out; the key itself never leaves its custodian.
/// </summary>
/// <remarks>
/// docs/PROTOCOL.md 8.2 "HSM or signing process". A signer verifies its own output before releasing it (RFC 9474
/// section 4.3 step 3, done where the key is, so a computation fault never releases a value that leaks it). The scheme
/// checks at start-up that <see cref="PublicKey"/> is the keyset's announced key, and checks every blinded message's
/// length and range before it asks for a signature.
/// </remarks>
public interface IKeysetSigner
{
    /// <summary>The keyset this signer signs for.</summary>
    KeysetId Keyset { get; }

    /// <summary>The public key of the private key the signer holds, as its custodian reports it; owned by the signer.</summary>
    BlindRsaPublicKey PublicKey { get; }

    /// <summary>
    /// Blind-signs a batch of blinded messages for the keyset (in partially blind mode under the keyset descriptor as
    /// metadata), one signature per message in the same order.
    /// </summary>
    /// <param name="blindedMessages">The blinded messages, at least one, each as long as the modulus and below it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The blind signatures, each verified by the signer before it released it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="blindedMessages"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="blindedMessages"/> is empty.</exception>
    /// <exception cref="BlindRsaException">
    /// An in-process signer: a message is not a valid blinded message for the key, or the self-check failed.
    /// </exception>
    /// <exception cref="KeysetSignerUnavailableException">
    /// The signer cannot sign now (unreachable, its key is gone, or a remote signer refused the batch); the same call
    /// may succeed later.
    /// </exception>
    ValueTask<IReadOnlyList<BlindSignature>> BlindSignAsync(IReadOnlyList<BlindedMessage> blindedMessages, CancellationToken cancellationToken);
}
