namespace Wallet.Protocol.Schemes;

/// <summary>
/// The scheme's state beyond the ledger and the Merkle node store: keysets, account keys, stored withdrawal
/// responses (for replay and restore), first spends of coins (for double-spend proofs), deposit receipts, the
/// bytes of every log entry, and registry versions. Every implementation passes the SchemeStoreContract suite.
/// </summary>
/// <remarks>
/// "First write wins" methods never overwrite: a second put for the same key is ignored, so a retried operation
/// cannot change what was already answered.
/// </remarks>
public interface ISchemeStore : IKeysetStore, IWithdrawalStore, ISpendStore, IDepositStore, ILogRecordStore, IRegistryStore, ISwapStore, IRefundStore, IStatementStore
{
}
