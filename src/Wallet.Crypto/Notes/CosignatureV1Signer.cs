using System.Text;

namespace Wallet.Crypto.Notes;

/// <summary>A witness's signer of timestamped Ed25519 cosignatures (<c>cosignature/v1</c>, signature type 0x04) over checkpoints.</summary>
/// <remarks>
/// C2SP tlog-cosignature. A cosignature states that, at its time, the checkpoint is the largest consistent tree head
/// the witness has seen for the origin: checking that consistency is the caller's job before it calls
/// <see cref="Sign"/>. The signer does not own the key; give each witness its own key, used for nothing else.
/// </remarks>
public sealed class CosignatureV1Signer
{
    private readonly Ed25519SigningKey _key;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a cosigner.</summary>
    /// <param name="name">The witness's key name: non-empty, without Unicode spaces, '+' or control characters.</param>
    /// <param name="key">The witness's signing key; not disposed by the signer.</param>
    /// <param name="timeProvider">The clock that dates cosignatures, to the second.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid key name.</exception>
    public CosignatureV1Signer(string name, Ed25519SigningKey key, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Verifier = new CosignatureV1Verifier(name, key.PublicKey);
        (_key, _timeProvider) = (key, timeProvider);
    }

    /// <summary>The witness's key name.</summary>
    public string Name => Verifier.Name;

    /// <summary>The witness's key ID (computed with type byte 0x04).</summary>
    public uint KeyId => Verifier.KeyId;

    /// <summary>The matching verifier, whose <see cref="NoteVerifier.VerifierKey"/> clients configure.</summary>
    public CosignatureV1Verifier Verifier { get; }

    /// <summary>Cosigns a checkpoint at the clock's current time.</summary>
    /// <param name="checkpoint">The checkpoint, already checked consistent with the last one cosigned for its origin.</param>
    /// <returns>The cosignature line, to add to the checkpoint's note with <see cref="SignedNote.AddSignature"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The clock reads before the Unix epoch.</exception>
    /// <exception cref="ObjectDisposedException">The signing key has been disposed.</exception>
    public NoteSignature Sign(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        long seconds = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (seconds < 0)
        {
            throw new ArgumentException("Cosignatures cannot be dated before the Unix epoch.", nameof(checkpoint));
        }

        byte[] message = CosignatureV1Verifier.Message((ulong)seconds, Encoding.UTF8.GetBytes(checkpoint.ToText()));
        var signature = new byte[CosignatureV1Verifier.SignatureLength];
        BinaryPrimitives.WriteUInt64BigEndian(signature, (ulong)seconds);
        _key.SignUnframed(message).CopyTo(signature, sizeof(ulong));
        return new NoteSignature(Name, KeyId, signature);
    }

    /// <summary>Describes the cosigner by its verifier key only.</summary>
    /// <returns><c>CosignatureV1Signer(&lt;vkey&gt;)</c>.</returns>
    public override string ToString() => $"CosignatureV1Signer({Verifier.VerifierKey})";
}
