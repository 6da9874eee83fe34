namespace Wallet.Protocol.Schemes;

// Ledger checkpoints in the log (docs/PROTOCOL.md 5.15).
public sealed partial class BenefitScheme
{
    private LedgerCheckpointHandler? _ledgerCheckpoints;

    private LedgerCheckpointHandler LedgerCheckpoints => _ledgerCheckpoints ??= new LedgerCheckpointHandler(_context, _store);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A log entry below the tree size is missing from the store (a corrupt store).</exception>
    public Task<LedgerCheckpointRecord?> LogLedgerCheckpointAsync(IdempotencyKey key, CancellationToken cancellationToken = default) =>
        LedgerCheckpoints.LogAsync(key, cancellationToken);
}
