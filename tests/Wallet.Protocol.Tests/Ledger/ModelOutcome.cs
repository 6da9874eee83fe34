using Wallet.Protocol.Ledger;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>What the model expects a request to return.</summary>
public sealed record ModelOutcome(LedgerStatus Status, long? Entry, IReadOnlyList<CoinConflict> Conflicts, bool IsReplay);
