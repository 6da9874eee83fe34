namespace Wallet.Audit.Tool.Mirror;

/// <summary>One mirrored log entry: its index, its canonical bytes and the leaf hash stored with it.</summary>
/// <param name="Index">The entry's index in the log.</param>
/// <param name="Bytes">The entry's canonical <see cref="LogEntry"/> encoding.</param>
/// <param name="LeafHash">The RFC 9162 leaf hash stored when it was mirrored.</param>
internal sealed record StoredEntry(ulong Index, byte[] Bytes, MerkleHash LeafHash);
