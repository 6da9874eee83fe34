namespace Wallet.Protocol;

/// <summary>The key under which a request is made idempotent: the same key returns the same result with exactly one effect, even when the first response was lost.</summary>
/// <remarks>Printable ASCII without spaces, 1 to 128 characters (for example 32 hexadecimal digits drawn from RandomNumberGenerator by the client). DESIGN.md section 4: a retried request with the same key has exactly one effect and the same response. Keys are global to the ledger, not per client: the protocol layer must scope them by the authenticated account (for example by prefixing the account id) so one client can neither replay nor block another's request.</remarks>
public sealed class IdempotencyKey : TokenValue<IdempotencyKey>
{
    /// <summary>Creates the value after validating it.</summary>
    /// <param name="value">Printable ASCII without spaces, 1 to <see cref="TokenValue{TSelf}.MaxLength"/> characters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, too long or not printable ASCII.</exception>
    public IdempotencyKey(string value)
        : base(value, nameof(value))
    {
    }
}
