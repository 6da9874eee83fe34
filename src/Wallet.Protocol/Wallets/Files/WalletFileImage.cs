using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Wallets.Files;

/// <summary>A decoded wallet file state, field by field, before it is checked against the seed and loaded.</summary>
internal sealed class WalletFileImage
{
    public AccountId Account { get; init; } = null!;

    public byte[] AccountKey { get; init; } = [];

    public byte[] SchemeKey { get; init; } = [];

    public SignedTreeHead? TreeHead { get; set; }

    public List<SignedTreeHead> ForkEvidence { get; } = [];

    public List<(KeysetDescriptor Descriptor, ulong NextCounter)> Keysets { get; } = [];

    public List<(Coin Coin, ulong Counter)> Coins { get; } = [];

    public List<CoinId> Spent { get; } = [];

    public List<(WithdrawalRequest Request, ulong[] Counters)> Pending { get; } = [];

    public List<(SwapRequest Request, ulong[] Counters)> PendingSwaps { get; } = [];

    public List<(RecoveryRequest Request, ulong[] Counters)> PendingRecoveries { get; } = [];

    public List<PaymentRecord> Payments { get; } = [];

    public List<WithdrawalReceipt> WithdrawalReceipts { get; } = [];

    public List<SpendReceipt> SpendReceipts { get; } = [];

    public TrustedCheckpoint? Checkpoint { get; set; }

    public List<SplitViewEvidence> SplitViews { get; } = [];

    public List<(RefundClaimRequest Request, ulong[] Counters)> PendingRefundClaims { get; } = [];

    public List<MandateRecord> Mandates { get; } = [];
}
