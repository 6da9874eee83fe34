namespace Wallet.Protocol.Keysets;

/// <summary>
/// The storage record of a keyset the scheme announced, with the index of its log entry (<see cref="ISchemeStore"/>).
/// Clients see <see cref="PublishedKeyset"/> instead, so the store's shape can change without changing theirs.
/// </summary>
/// <param name="Announcement">The signed announcement.</param>
/// <param name="LogIndex">The index of its keyset log entry.</param>
/// <param name="Revoked">Whether the keyset has been revoked.</param>
public sealed record StoredKeyset(KeysetAnnouncement Announcement, ulong LogIndex, bool Revoked);
