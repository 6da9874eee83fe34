using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>A worker of the crash soak: its wallet, its replayable choices, and what it saw (touched by its own task only).</summary>
internal sealed class SoakWorker(int index, WorkerWallet wallet, Random random)
{
    public int Index { get; } = index;

    public WorkerWallet Wallet { get; } = wallet;

    public Random Random { get; } = random;

    /// <summary>The value of the withdrawals the wallet completed (their signed receipts).</summary>
    public long Withdrawn { get; set; }

    /// <summary>The value of the payments providers verified.</summary>
    public long Paid { get; set; }

    public int Withdrawals { get; set; }

    public int Swaps { get; set; }
}
