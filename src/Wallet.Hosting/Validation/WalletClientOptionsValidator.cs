namespace Wallet.Hosting.Validation;

/// <summary>Checks <see cref="WalletClientOptions"/> at start-up: the pinned keys, and a witness policy that is valid and names the scheme key as the log's.</summary>
internal sealed class WalletClientOptionsValidator : IValidateOptions<WalletClientOptions>
{
    public ValidateOptionsResult Validate(string? name, WalletClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionFailures();
        failures.Require(options.SchemeKey, nameof(WalletClientOptions.SchemeKey));
        failures.Require(options.AccreditationKey, nameof(WalletClientOptions.AccreditationKey));
        WitnessPolicyValidation.Check(failures, options.WitnessPolicy, options.SchemeKey, nameof(WalletClientOptions.WitnessPolicy));
        return failures.ToResult();
    }
}
