namespace Wallet.Protocol.Flows;

/// <summary>The outcome of a spent coin's two signature checks, made ahead of the rest of its checks.</summary>
/// <param name="Issuer">Whether the scheme's blind signature on the coin verifies under its keyset.</param>
/// <param name="Spend">Whether the coin key's signature over the spend verifies.</param>
internal readonly record struct SpendSignatures(bool Issuer, bool Spend);
