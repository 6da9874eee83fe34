namespace Wallet.Protocol.Providers;

// The provider's check of a payout statement (docs/PROTOCOL.md 5.18).
public sealed partial class AccreditedProvider
{
    /// <summary>
    /// Checks a payout statement before the provider books it: signed by the scheme, and naming this provider. The
    /// provider then compares its payable before and after with its own books (deposits credited, payouts received).
    /// </summary>
    /// <param name="statement">The statement the operator handed over.</param>
    /// <returns>Whether the statement is the scheme's and is for this provider.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="statement"/> is null.</exception>
    public bool VerifyPayoutStatement(PayoutStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return statement.Provider == Record.Id && statement.Verify(_schemeKey);
    }
}
