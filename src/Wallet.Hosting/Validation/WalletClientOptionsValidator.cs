using Microsoft.Extensions.Options;

namespace Wallet.Hosting.Validation;

/// <summary>Checks <see cref="WalletClientOptions"/> at start-up.</summary>
internal sealed class WalletClientOptionsValidator : IValidateOptions<WalletClientOptions>
{
    public ValidateOptionsResult Validate(string? name, WalletClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.SchemeKey is null)
        {
            failures.Add($"{nameof(WalletClientOptions.SchemeKey)} is required.");
        }

        if (options.AccreditationKey is null)
        {
            failures.Add($"{nameof(WalletClientOptions.AccreditationKey)} is required.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
