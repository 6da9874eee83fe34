namespace Wallet.Protocol;

/// <summary>Identifies a party account in the ledger: a worker, a provider or a contributor.</summary>
/// <remarks>Printable ASCII without spaces, 1 to 128 characters; the scheme chooses the format (for example a scheme-assigned worker number). It never appears in a coin or the public log.</remarks>
public sealed class AccountId : TokenValue<AccountId>
{
    /// <summary>Creates the value after validating it.</summary>
    /// <param name="value">Printable ASCII without spaces, 1 to <see cref="TokenValue{TSelf}.MaxLength"/> characters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, too long or not printable ASCII.</exception>
    public AccountId(string value)
        : base(value, nameof(value))
    {
    }
}
