namespace Wallet.Protocol.Keysets;

/// <summary>
/// A keyset as the scheme publishes it to wallets, providers and auditors: the signed announcement, the index of its
/// log entry and whether it has been revoked. The scheme's storage record is a separate type (<c>StoredKeyset</c>).
/// </summary>
/// <param name="Announcement">The signed announcement.</param>
/// <param name="LogIndex">The index of its keyset log entry.</param>
/// <param name="Revoked">Whether the keyset has been revoked.</param>
public sealed record PublishedKeyset(KeysetAnnouncement Announcement, ulong LogIndex, bool Revoked);
