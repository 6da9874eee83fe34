namespace Wallet.Protocol.Wallets.State;

/// <summary>A prepared payment the wallet keeps until a spend receipt confirms it (mutable under the state lock).</summary>
/// <param name="request">The paid request.</param>
/// <param name="coins">The coins spent, ascending.</param>
/// <param name="preparedAt">When the spends were signed.</param>
internal sealed class PaymentRecord(PaymentRequest request, CoinId[] coins, DateTimeOffset preparedAt)
{
    public PaymentId Id => Request.Id;

    public PaymentRequest Request { get; } = request;

    public CoinId[] Coins { get; } = coins;

    public DateTimeOffset PreparedAt { get; } = preparedAt;

    public WalletPaymentState State { get; set; } = WalletPaymentState.InFlight;

    /// <summary>The pending swap taking the coins back, while <see cref="WalletPaymentState.Abandoning"/>.</summary>
    public IdempotencyKey? AbandonKey { get; set; }

    public SwapStatus? LastRefusal { get; set; }

    public List<SwapDoubleSpendProof> Evidence { get; } = [];

    public WalletPayment ToPublic() => new(Id, Request, [.. Coins], PreparedAt, State, AbandonKey, LastRefusal, [.. Evidence]);
}
