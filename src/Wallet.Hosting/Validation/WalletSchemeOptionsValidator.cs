namespace Wallet.Hosting.Validation;

/// <summary>Checks <see cref="WalletSchemeOptions"/> at start-up: both keys, and a checkpoint origin that follows the convention when one is set.</summary>
internal sealed class WalletSchemeOptionsValidator : IValidateOptions<WalletSchemeOptions>
{
    public ValidateOptionsResult Validate(string? name, WalletSchemeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionFailures();
        failures.Require(options.SchemeKey, nameof(WalletSchemeOptions.SchemeKey));
        failures.Require(options.AccreditationKey, nameof(WalletSchemeOptions.AccreditationKey));
        if (options.CheckpointOrigin is not null && !Wallet.Protocol.Log.LogOrigin.IsValid(options.CheckpointOrigin))
        {
            failures.Add($"{nameof(WalletSchemeOptions.CheckpointOrigin)} is not a schema-less URL of printable ASCII with no space, '+' or trailing slash.");
        }

        return failures.ToResult();
    }
}
