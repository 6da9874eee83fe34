namespace Wallet.Crypto.Notes;

/// <summary>What <see cref="NoteVerifierSet.Verify"/> found: the outcome and, when verified, which trusted keys signed.</summary>
public sealed class NoteVerificationResult
{
    internal NoteVerificationResult(NoteVerificationStatus status, ImmutableArray<NoteSignature> verifiedSignatures, ImmutableArray<NoteVerifier> verifiedBy) =>
        (Status, VerifiedSignatures, VerifiedBy) = (status, verifiedSignatures, verifiedBy);

    /// <summary>The outcome.</summary>
    public NoteVerificationStatus Status { get; }

    /// <summary>Whether the note may be trusted: <see cref="Status"/> is <see cref="NoteVerificationStatus.Verified"/>.</summary>
    public bool IsVerified => Status == NoteVerificationStatus.Verified;

    /// <summary>The signature lines that verified, in note order; empty unless <see cref="IsVerified"/>.</summary>
    public ImmutableArray<NoteSignature> VerifiedSignatures { get; }

    /// <summary>The distinct trusted keys whose signatures verified, in note order; empty unless <see cref="IsVerified"/>.</summary>
    public ImmutableArray<NoteVerifier> VerifiedBy { get; }

    /// <summary>Describes the outcome.</summary>
    /// <returns><c>Verified by name1, name2</c> or the failure.</returns>
    public override string ToString() =>
        IsVerified ? $"Verified by {string.Join(", ", VerifiedBy.Select(v => v.Name))}" : Status.ToString();
}
