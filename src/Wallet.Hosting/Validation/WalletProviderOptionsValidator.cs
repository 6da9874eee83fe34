using Microsoft.Extensions.Options;

namespace Wallet.Hosting.Validation;

/// <summary>Checks <see cref="WalletProviderOptions"/> at start-up, including that the receipt key is the record's.</summary>
internal sealed class WalletProviderOptionsValidator : IValidateOptions<WalletProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, WalletProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Record is null)
        {
            failures.Add($"{nameof(WalletProviderOptions.Record)} is required.");
        }

        if (options.ReceiptKey is null)
        {
            failures.Add($"{nameof(WalletProviderOptions.ReceiptKey)} is required.");
        }
        else if (options.Record is not null && !options.Record.ReceiptKey.Equals(options.ReceiptKey.PublicKey))
        {
            failures.Add($"{nameof(WalletProviderOptions.ReceiptKey)} is not the receipt key of the accreditation record.");
        }

        if (options.SchemeKey is null)
        {
            failures.Add($"{nameof(WalletProviderOptions.SchemeKey)} is required.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
