namespace Wallet.Protocol.Wallets;

/// <summary>The wallet's answer to <see cref="WorkerWallet.PrepareRecovery"/>.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Request">The account-signed recovery when <paramref name="Status"/> is <see cref="RecoveryPreparationStatus.Ready"/>; null otherwise.</param>
public sealed record RecoveryPreparation(RecoveryPreparationStatus Status, RecoveryRequest? Request);
