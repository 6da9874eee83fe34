namespace Wallet.Audit.Tool.Mirror;

/// <summary>Split-view evidence the mirror found and kept (PROTOCOL.md 5.13).</summary>
/// <param name="Evidence">The evidence text (<see cref="SplitViewEvidence.Format"/>).</param>
/// <param name="DetectedAt">When the sync found it.</param>
internal sealed record StoredFork(string Evidence, DateTimeOffset DetectedAt);
