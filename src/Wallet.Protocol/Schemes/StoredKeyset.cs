using Wallet.Protocol.Keysets;

namespace Wallet.Protocol.Schemes;

/// <summary>A keyset the scheme announced, with the index of its log entry.</summary>
/// <param name="Announcement">The signed announcement.</param>
/// <param name="LogIndex">The index of its keyset log entry.</param>
/// <param name="Revoked">Whether the keyset has been revoked.</param>
public sealed record StoredKeyset(KeysetAnnouncement Announcement, ulong LogIndex, bool Revoked);
