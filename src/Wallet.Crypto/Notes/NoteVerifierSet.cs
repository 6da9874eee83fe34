using System.Text;

namespace Wallet.Crypto.Notes;

/// <summary>The keys a client trusts, and the check of a note's signatures against them.</summary>
/// <remarks>
/// C2SP signed-note, "Signatures": a signature line is matched to a key by name and key ID together; lines of unknown
/// keys are ignored, even when they share the name or the ID (but not both) with a trusted key. A line of a trusted key
/// must verify, or the whole note is refused; a note with no verified line of a trusted key is refused.
/// </remarks>
public sealed class NoteVerifierSet
{
    private readonly Dictionary<(string Name, uint KeyId), NoteVerifier> _verifiers = [];

    /// <summary>Creates the set.</summary>
    /// <param name="verifiers">The trusted keys; no two may share a name and key ID.</param>
    /// <exception cref="ArgumentNullException"><paramref name="verifiers"/> is (or holds) <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two keys share a name and key ID, so a signature line could not say which one it means.</exception>
    public NoteVerifierSet(IEnumerable<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        foreach (NoteVerifier verifier in verifiers)
        {
            ArgumentNullException.ThrowIfNull(verifier, nameof(verifiers));
            if (!_verifiers.TryAdd((verifier.Name, verifier.KeyId), verifier))
            {
                throw new ArgumentException($"Two trusted keys share the name '{verifier.Name}' and key ID {verifier.KeyId:x8}.", nameof(verifiers));
            }
        }

        Verifiers = [.. _verifiers.Values];
    }

    /// <summary>Creates the set.</summary>
    /// <param name="verifiers">The trusted keys; no two may share a name and key ID.</param>
    /// <exception cref="ArgumentNullException"><paramref name="verifiers"/> is (or holds) <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two keys share a name and key ID.</exception>
    public NoteVerifierSet(params NoteVerifier[] verifiers)
        : this((IEnumerable<NoteVerifier>)verifiers)
    {
    }

    /// <summary>The trusted keys.</summary>
    public ImmutableArray<NoteVerifier> Verifiers { get; }

    /// <summary>Checks a note's signatures against the trusted keys.</summary>
    /// <param name="note">The parsed note.</param>
    /// <returns>The outcome, with the keys that verified.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="note"/> is <see langword="null"/>.</exception>
    public NoteVerificationResult Verify(SignedNote note)
    {
        ArgumentNullException.ThrowIfNull(note);
        byte[] text = Encoding.UTF8.GetBytes(note.Text);
        var signatures = ImmutableArray.CreateBuilder<NoteSignature>();
        var verifiedBy = ImmutableArray.CreateBuilder<NoteVerifier>();
        foreach (NoteSignature signature in note.Signatures)
        {
            if (!_verifiers.TryGetValue((signature.Name, signature.KeyId), out NoteVerifier? verifier))
            {
                continue;
            }

            if (!verifier.Verify(text, signature.Signature.Span))
            {
                return new NoteVerificationResult(NoteVerificationStatus.InvalidSignature, [], []);
            }

            signatures.Add(signature);
            if (!verifiedBy.Contains(verifier))
            {
                verifiedBy.Add(verifier);
            }
        }

        return signatures.Count == 0
            ? new NoteVerificationResult(NoteVerificationStatus.NoTrustedSignature, [], [])
            : new NoteVerificationResult(NoteVerificationStatus.Verified, signatures.ToImmutable(), verifiedBy.ToImmutable());
    }
}
