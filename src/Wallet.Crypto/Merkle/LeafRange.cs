namespace Wallet.Crypto.Merkle;

/// <summary>A run of consecutive leaves <c>[Start, Start + Count)</c> whose MTH a proof needs.</summary>
internal readonly record struct LeafRange(ulong Start, ulong Count);
