namespace Wallet.Protocol.Deposits;

/// <summary>An accepted deposit as stored for replay: the request's hash, the receipt sent and every payment's outcome.</summary>
/// <param name="RequestHash">SHA-256 of the deposit request.</param>
/// <param name="Receipt">The receipt.</param>
public sealed record StoredDeposit(ReadOnlyMemory<byte> RequestHash, DepositReceipt Receipt)
{
    /// <summary>Gets the outcome of each payment of the batch, in batch order, as first answered; a replay answers the same.</summary>
    /// <remarks>Stores keep it in the encoding of <see cref="Binding.PbEnvelopes.EncodeDepositPayments"/>.</remarks>
    public IReadOnlyList<DepositPaymentOutcome> Payments { get; init; } = [];
}
