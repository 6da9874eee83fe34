namespace Wallet.Protocol.Wallets.State;

/// <summary>A dues mandate the wallet accepted, with what it paid for it (mutable under the state lock).</summary>
/// <param name="mandate">The union's signed mandate.</param>
internal sealed class MandateRecord(DuesMandate mandate)
{
    public DuesMandate Mandate { get; } = mandate;

    /// <summary>Whether the worker cancelled it: no period is paid any more.</summary>
    public bool Cancelled { get; set; }

    /// <summary>The payment made for each period paid, by period.</summary>
    public SortedDictionary<uint, PaymentId> Payments { get; } = [];

    /// <summary>The periods a payment was attempted for and the funds were short: in arrears until paid.</summary>
    public SortedSet<uint> Short { get; } = [];
}
