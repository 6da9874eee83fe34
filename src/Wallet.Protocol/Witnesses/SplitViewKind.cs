namespace Wallet.Protocol.Witnesses;

/// <summary>How the two checkpoints of a <see cref="SplitViewEvidence"/> contradict each other.</summary>
public enum SplitViewKind
{
    /// <summary>Both have the same tree size but different roots: conclusive, the log signed two trees of one size.</summary>
    SameSizeDifferentRoots,

    /// <summary>
    /// The sizes differ and the consistency proof offered between them does not verify: the larger tree was not shown
    /// to extend the smaller one.
    /// </summary>
    ConsistencyNotProven,
}
