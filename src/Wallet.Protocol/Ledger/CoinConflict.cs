namespace Wallet.Protocol.Ledger;

/// <summary>A coin that could not be recorded spent because an earlier entry already spent it.</summary>
/// <param name="Coin">The coin.</param>
/// <param name="SpentInEntry">The sequence number of the entry that spent it first.</param>
/// <remarks>The protocol layer turns this into a verifiable double-spend proof (DESIGN.md section 3, flow 4).</remarks>
public sealed record CoinConflict(CoinId Coin, long SpentInEntry);
