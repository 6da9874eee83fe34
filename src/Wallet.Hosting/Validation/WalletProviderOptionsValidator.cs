namespace Wallet.Hosting.Validation;

/// <summary>Checks <see cref="WalletProviderOptions"/> at start-up, including that the receipt key is the record's.</summary>
internal sealed class WalletProviderOptionsValidator : IValidateOptions<WalletProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, WalletProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionFailures();
        failures.Require(options.Record, nameof(WalletProviderOptions.Record));
        if (failures.Require(options.ReceiptKey, nameof(WalletProviderOptions.ReceiptKey)) &&
            options.Record is not null && !options.Record.ReceiptKey.Equals(options.ReceiptKey!.PublicKey))
        {
            failures.Add($"{nameof(WalletProviderOptions.ReceiptKey)} is not the receipt key of the accreditation record.");
        }

        failures.Require(options.SchemeKey, nameof(WalletProviderOptions.SchemeKey));
        WitnessPolicyValidation.Check(failures, options.WitnessPolicy, options.SchemeKey, nameof(WalletProviderOptions.WitnessPolicy));
        return failures.ToResult();
    }
}
