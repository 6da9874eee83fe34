namespace Wallet.Protocol.Wallets;

/// <summary>
/// A mandate period the wallet should pay now (<see cref="WorkerWallet.DueMandatePayments"/>): ask the union for its
/// payment request for (mandate, period) and hand it to <see cref="WorkerWallet.PrepareMandatePayment"/>.
/// </summary>
/// <param name="Mandate">The mandate.</param>
/// <param name="Period">The period.</param>
/// <param name="PayAt">The pay moment that made it due.</param>
/// <param name="InArrears">Whether the period is in arrears (its window closed, or the funds were short before).</param>
public sealed record DueMandatePayment(DuesMandate Mandate, uint Period, DateTimeOffset PayAt, bool InArrears);
