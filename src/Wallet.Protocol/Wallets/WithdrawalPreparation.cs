namespace Wallet.Protocol.Wallets;

/// <summary>The wallet's answer to <see cref="WorkerWallet.PrepareUniformWithdrawal(IdempotencyKey, Amount)"/>.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Request">The signed request when <paramref name="Status"/> is <see cref="WithdrawalPreparationStatus.Ready"/>; null otherwise.</param>
public sealed record WithdrawalPreparation(WithdrawalPreparationStatus Status, WithdrawalRequest? Request);
