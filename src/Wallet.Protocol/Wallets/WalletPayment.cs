namespace Wallet.Protocol.Wallets;

/// <summary>A payment the wallet prepared and has not seen confirmed by a spend receipt (docs/PROTOCOL.md section 5.4).</summary>
/// <param name="Id">The payment: the hash of its request.</param>
/// <param name="Request">The provider's signed request that was paid.</param>
/// <param name="Coins">The coins spent on it, ascending.</param>
/// <param name="PreparedAt">When the wallet signed the spends.</param>
/// <param name="State">Where it stands.</param>
/// <param name="AbandonKey">The idempotency key of the pending swap that takes the coins back, while <see cref="WalletPaymentState.Abandoning"/>; null otherwise.</param>
/// <param name="LastRefusal">Why the scheme last refused the swap that would take the coins back, if it did; null otherwise.</param>
/// <param name="Evidence">For <see cref="WalletPaymentState.Deposited"/>: the scheme's proofs that the coins' first spend was this payment.</param>
public sealed record WalletPayment(
    PaymentId Id,
    PaymentRequest Request,
    IReadOnlyList<CoinId> Coins,
    DateTimeOffset PreparedAt,
    WalletPaymentState State,
    IdempotencyKey? AbandonKey,
    SwapStatus? LastRefusal,
    IReadOnlyList<SwapDoubleSpendProof> Evidence);
