namespace Wallet.Protocol.Schemes;

// A copy of the whole store, for an operation of an InMemorySchemeDatabase to write to while readers outside it keep
// reading the original; the copy replaces the original when the operation commits.
public sealed partial class InMemorySchemeStore
{
    /// <summary>Creates an empty store.</summary>
    public InMemorySchemeStore()
    {
    }

    // Stored values are never changed in place (an update replaces the tuple or array), so copying the tables is enough.
    private InMemorySchemeStore(InMemorySchemeStore source)
    {
        lock (source._lock)
        {
            _keysetOrder = [.. source._keysetOrder];
            _keysets = new(source._keysets);
            _accounts = new(source._accounts);
            _withdrawals = new(source._withdrawals);
            _blindSignatures = new(source._blindSignatures, StringComparer.Ordinal);
            _withdrawers = new(source._withdrawers, StringComparer.Ordinal);
            _swaps = new(source._swaps);
            _swapSpends = new(source._swapSpends);
            _spends = new(source._spends);
            _deposits = new(source._deposits);
            _log = new(source._log);
            _logOperations = new(source._logOperations, StringComparer.Ordinal);
            _registries = new(source._registries);
            _contributions = new(source._contributions);
        }

        lock (source._refundLock)
        {
            _refundClaims = new(source._refundClaims);
            _refundIds = new(source._refundIds);
            _refundedCoins = new(source._refundedCoins);
        }
    }

    /// <summary>A copy of every table of the store, taken under its locks; later writes to either do not reach the other.</summary>
    /// <returns>The copy.</returns>
    internal InMemorySchemeStore Clone() => new(this);
}
