namespace Wallet.Protocol.Operators;

/// <summary>What one call to reverse a keyset's unissued withdrawals did.</summary>
/// <param name="Keyset">The revoked keyset.</param>
/// <param name="Withdrawals">How many withdrawals naming it are reversed (including ones reversed by an earlier call).</param>
/// <param name="Value">The value those withdrawals returned to workers' accounts, in all their keysets.</param>
/// <remarks>docs/PROTOCOL.md section 5.3.</remarks>
public sealed record WithdrawalReversalSummary(KeysetId Keyset, int Withdrawals, Amount Value);
