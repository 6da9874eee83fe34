using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>
/// The checks a client (a wallet or a provider) applies to a checkpoint note before it trusts it (PROTOCOL.md 5.13):
/// who signed it, and how it stands against the checkpoint or tree head the client already trusts.
/// </summary>
internal static class CheckpointTrust
{
    /// <summary>How a new tree (size, root) stands against the trusted one.</summary>
    internal enum Verdict
    {
        /// <summary>Nothing trusted yet, or larger with a consistency proof from the trusted tree.</summary>
        Advance,

        /// <summary>The trusted size and root.</summary>
        Same,

        /// <summary>Smaller, with a consistency proof to the trusted tree.</summary>
        Stale,

        /// <summary>The trusted size with another root, or another size without a consistency proof that verifies.</summary>
        Conflict,
    }

    /// <summary>
    /// Opens a checkpoint note: under <paramref name="policy"/> (the log's key, then k of n cosignatures), or without
    /// one with <paramref name="schemeKey"/> under the checkpoint's own origin, which must be a WalletCore origin
    /// (<see cref="LogOrigin"/>) and, once the client trusts a checkpoint, <paramref name="pinnedOrigin"/>.
    /// </summary>
    /// <returns>Whether the log's key signed a checkpoint; <paramref name="witnessed"/> tells whether the policy (if any) is met.</returns>
    public static bool TryOpen(
        SignedNote note,
        WitnessPolicy? policy,
        Ed25519PublicKey schemeKey,
        string? pinnedOrigin,
        [NotNullWhen(true)] out Checkpoint? checkpoint,
        [NotNullWhen(true)] out Ed25519NoteVerifier? logKey,
        out bool witnessed)
    {
        (checkpoint, logKey, witnessed) = (null, null, false);
        if (policy is not null)
        {
            WitnessPolicyResult result = policy.Evaluate(note);
            if (result.Checkpoint is null)
            {
                return false;
            }

            (checkpoint, logKey, witnessed) = (result.Checkpoint, policy.LogKey, result.IsAccepted);
            return true;
        }

        try
        {
            string origin = Checkpoint.Parse(note.Text).Origin;
            if (!LogOrigin.IsValid(origin) || (pinnedOrigin is not null && !string.Equals(origin, pinnedOrigin, StringComparison.Ordinal)))
            {
                return false;
            }

            var key = new Ed25519NoteVerifier(origin, schemeKey);
            if (!Checkpoint.TryOpen(note, new NoteVerifierSet(key), out checkpoint))
            {
                return false;
            }

            (logKey, witnessed) = (key, true);
            return true;
        }
        catch (NoteFormatException)
        {
            return false;
        }
    }

    /// <summary>Compares a tree with the trusted one by the rules of RFC 9162 section 2.1.4: one size has one root, and a change of size needs a consistency proof.</summary>
    /// <param name="trusted">The trusted size and root, or null when nothing is trusted yet.</param>
    /// <param name="size">The new tree's size.</param>
    /// <param name="root">The new tree's root.</param>
    /// <param name="proof">A consistency proof between the smaller and the larger of the two sizes, or null.</param>
    /// <returns>The verdict.</returns>
    public static Verdict Compare((ulong Size, MerkleHash Root)? trusted, ulong size, MerkleHash root, ConsistencyProof? proof)
    {
        if (trusted is not { } tree)
        {
            return Verdict.Advance;
        }

        if (size == tree.Size)
        {
            return root == tree.Root ? Verdict.Same : Verdict.Conflict;
        }

        if (size < tree.Size)
        {
            return proof is not null && proof.OldSize == size && proof.NewSize == tree.Size && proof.Verify(root, tree.Root)
                ? Verdict.Stale
                : Verdict.Conflict;
        }

        return proof is not null && proof.OldSize == tree.Size && proof.NewSize == size && proof.Verify(tree.Root, root)
            ? Verdict.Advance
            : Verdict.Conflict;
    }
}
