namespace Wallet.Protocol.Providers;

/// <summary>What a provider answers a wallet that asked about a payment with a <see cref="HolderProof"/>.</summary>
/// <param name="Proof">The verdict on the proof; the state is given only when it is <see cref="HolderProofStatus.Valid"/>.</param>
/// <param name="State">The payment's state, with the spend receipt when paid; null unless the proof was valid.</param>
public sealed record HolderPaymentState(HolderProofStatus Proof, ProviderPaymentState? State);
