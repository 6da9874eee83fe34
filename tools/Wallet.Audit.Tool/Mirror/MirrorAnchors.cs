namespace Wallet.Audit.Tool.Mirror;

/// <summary>
/// The trust anchors a mirror is bound to on its first sync: the log's key (its name is the checkpoints' origin), the
/// accreditation body's key, and the witnesses with their quorum. A later sync with other anchors is refused.
/// </summary>
/// <param name="LogVerifierKey">The log's Ed25519 note verifier key (PROTOCOL.md 5.12).</param>
/// <param name="AccreditationKey">The accreditation body's public key in lower-case hex.</param>
/// <param name="Witnesses">The witnesses' cosignature/v1 verifier keys, in the order given.</param>
/// <param name="Quorum">How many of them must cosign the latest checkpoint (0 when there are none).</param>
internal sealed record MirrorAnchors(string LogVerifierKey, string AccreditationKey, ImmutableArray<string> Witnesses, int Quorum)
{
    /// <summary>The log's key.</summary>
    public Ed25519NoteVerifier LogKey => (Ed25519NoteVerifier)NoteVerifier.Parse(LogVerifierKey);

    /// <summary>The scheme's public key: the log's key signs checkpoints and tree heads alike.</summary>
    public Ed25519PublicKey SchemeKey => LogKey.PublicKey;

    /// <summary>The accreditation body's public key.</summary>
    public Ed25519PublicKey Accreditation => Ed25519PublicKey.Import(Convert.FromHexString(AccreditationKey));

    /// <summary>The checkpoints' origin: the log key's name.</summary>
    public string Origin => LogKey.Name;

    /// <summary>The witness policy, or <see langword="null"/> when no witness is configured.</summary>
    public WitnessPolicy? Policy()
    {
        if (Witnesses.IsEmpty)
        {
            return null;
        }

        var options = new WitnessPolicyOptions { LogVerifierKey = LogVerifierKey, Quorum = Quorum };
        foreach (string witness in Witnesses)
        {
            options.Witnesses.Add(new WitnessKeyOptions { Name = NoteVerifier.Parse(witness).Name, VerifierKey = witness });
        }

        return new WitnessPolicy(options);
    }

    /// <summary>Whether two sets of anchors are the same (witness order does not matter).</summary>
    public bool SameAs(MirrorAnchors other) =>
        string.Equals(LogVerifierKey, other.LogVerifierKey, StringComparison.Ordinal) &&
        string.Equals(AccreditationKey, other.AccreditationKey, StringComparison.Ordinal) &&
        Quorum == other.Quorum &&
        Witnesses.Order(StringComparer.Ordinal).SequenceEqual(other.Witnesses.Order(StringComparer.Ordinal), StringComparer.Ordinal);
}
