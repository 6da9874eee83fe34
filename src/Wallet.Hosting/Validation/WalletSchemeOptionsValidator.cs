using Microsoft.Extensions.Options;

namespace Wallet.Hosting.Validation;

/// <summary>Checks <see cref="WalletSchemeOptions"/> at start-up, so a misconfigured scheme fails before its first request.</summary>
internal sealed class WalletSchemeOptionsValidator : IValidateOptions<WalletSchemeOptions>
{
    public ValidateOptionsResult Validate(string? name, WalletSchemeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.SchemeKey is null)
        {
            failures.Add($"{nameof(WalletSchemeOptions.SchemeKey)} is required.");
        }

        if (options.AccreditationKey is null)
        {
            failures.Add($"{nameof(WalletSchemeOptions.AccreditationKey)} is required.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
