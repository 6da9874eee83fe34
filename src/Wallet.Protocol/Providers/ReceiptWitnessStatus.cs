namespace Wallet.Protocol.Providers;

/// <summary>Whether a deposit receipt's tree head is covered by the checkpoint the provider trusts (<see cref="AccreditedProvider.CheckReceiptWitnessedAsync"/>).</summary>
public enum ReceiptWitnessStatus
{
    /// <summary>The trusted checkpoint is at least as large as the receipt's head and consistent with it: the deposit's log entry is in the witnessed log.</summary>
    Witnessed = 1,

    /// <summary>No trusted checkpoint yet covers the receipt's head (none, or a smaller one); observe a later checkpoint and ask again.</summary>
    NotYetWitnessed = 2,

    /// <summary>The receipt's head contradicts the trusted checkpoint: another root at its size, or no consistency proof that verifies up to it.</summary>
    Inconsistent = 3,

    /// <summary>The receipt's tree head is not signed by the scheme.</summary>
    BadSignature = 4,
}
