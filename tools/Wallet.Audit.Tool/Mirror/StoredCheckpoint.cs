namespace Wallet.Audit.Tool.Mirror;

/// <summary>A checkpoint note kept in the mirror, with the size and root the mirror read from it when it was stored.</summary>
/// <param name="Sequence">The order in which the mirror stored it.</param>
/// <param name="TreeSize">The checkpoint's tree size.</param>
/// <param name="RootHash">The checkpoint's root.</param>
/// <param name="Note">The signed note as served (UTF-8 text).</param>
/// <param name="FetchedAt">When the mirror fetched it.</param>
internal sealed record StoredCheckpoint(long Sequence, ulong TreeSize, MerkleHash RootHash, string Note, DateTimeOffset FetchedAt);
