using Wallet.Protocol;
using Wallet.Protocol.Payments;

namespace PortableBenefits.Linkage.Truth;

/// <summary>A <c>pay</c> line of the ground truth: which worker paid which payment request, with which coins.</summary>
/// <param name="Step">The pilot step that made the payment (the pilot writes its step number; any text without tabs).</param>
/// <param name="Account">The paying worker's account: what the attack tries to name.</param>
/// <param name="Provider">The provider paid.</param>
/// <param name="Payment">The payment request's hash (<see cref="Wallet.Protocol.Payments.PaymentRequest.Id"/>).</param>
/// <param name="Coins">The coins spent, in the order the wallet chose them.</param>
public sealed record TruePayment(string Step, AccountId Account, AccountId Provider, PaymentId Payment, IReadOnlyList<CoinId> Coins);
