namespace Wallet.Protocol.Ledger;

/// <summary>
/// The stored outcome of a request, kept under its idempotency key so a retry returns the same result without
/// a second effect. Stored for refusals too, so a retry cannot succeed later where the first attempt was refused.
/// </summary>
/// <param name="Key">The idempotency key.</param>
/// <param name="RequestHash">SHA-256 of the request's canonical encoding; a different request under the same key is refused.</param>
/// <param name="Status">The outcome.</param>
/// <param name="EntrySequence">The journal entry written, or <see langword="null"/> when nothing moved.</param>
/// <param name="Conflicts">Coins refused as already spent.</param>
public sealed record IdempotencyRecord(
    IdempotencyKey Key,
    ReadOnlyMemory<byte> RequestHash,
    LedgerStatus Status,
    long? EntrySequence,
    IReadOnlyList<CoinConflict> Conflicts);
