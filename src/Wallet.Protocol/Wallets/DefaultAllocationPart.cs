namespace Wallet.Protocol.Wallets;

/// <summary>
/// One payment of a client-side default allocation: a few expiring coins, worth no more than an ordinary payment,
/// to be paid to the default provider at or after a random moment, in a sitting of its own
/// (docs/PROTOCOL.md section 5.8). Ask the provider for a request of <paramref name="Amount"/> and pay it with
/// <see cref="WorkerWallet.PrepareDefaultAllocationPayment(DefaultAllocationPart, Payments.PaymentRequest, Registry.AccreditationRegistry)"/>.
/// </summary>
/// <param name="Provider">The default provider the table resolved.</param>
/// <param name="Amount">The value of <paramref name="Coins"/>: the amount of the payment request to ask for.</param>
/// <param name="Coins">The coins of this part, all of one fund.</param>
/// <param name="NotBefore">The suggested moment to pay, drawn uniformly over the first three quarters of the time left before these coins stop being spendable.</param>
public sealed record DefaultAllocationPart(AccountId Provider, Amount Amount, IReadOnlyList<WalletCoin> Coins, DateTimeOffset NotBefore);
