namespace Wallet.Crypto.Merkle;

/// <summary>
/// The stored nodes a root or proof needs, in order, and how many of them make up each proof entry (each
/// entry is the MTH of one aligned range, at most 64 perfect subtrees).
/// </summary>
internal readonly record struct ProofPlan(MerkleNodeId[] Ids, byte[] Parts);
