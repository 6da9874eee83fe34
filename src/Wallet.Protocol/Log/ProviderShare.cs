namespace Wallet.Protocol.Log;

/// <summary>The value one provider received in a default allocation.</summary>
/// <param name="Provider">The provider.</param>
/// <param name="Amount">The value, positive.</param>
public sealed record ProviderShare(AccountId Provider, Amount Amount);
