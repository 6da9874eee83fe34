namespace Wallet.Hosting.Validation;

/// <summary>
/// Checks at start-up that an options object has every setting the role cannot work without, so a misconfigured
/// role fails before its first request and reports all of its missing settings at once.
/// </summary>
/// <typeparam name="TOptions">The options checked.</typeparam>
/// <param name="required">Each required setting: how to read it and its name for the failure message.</param>
internal sealed class RequiredSettingsValidator<TOptions>(params (Func<TOptions, object?> Value, string Name)[] required)
    : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionFailures();
        foreach (var (value, setting) in required)
        {
            failures.Require(value(options), setting);
        }

        return failures.ToResult();
    }
}
