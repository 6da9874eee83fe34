using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Wallets.State;

/// <summary>The checkpoint a wallet trusts: the note as accepted (the log's signature and the witnesses' cosignatures) and its parsed text.</summary>
/// <param name="Note">The signed note, kept whole so it can be shown to others and checked again.</param>
/// <param name="Checkpoint">The checkpoint the note holds.</param>
internal sealed record TrustedCheckpoint(SignedNote Note, Checkpoint Checkpoint);
