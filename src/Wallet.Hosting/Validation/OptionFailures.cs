namespace Wallet.Hosting.Validation;

/// <summary>
/// Collects what is wrong with one options object, so every validator reports all of its failures at once and words a
/// missing setting the same way.
/// </summary>
internal sealed class OptionFailures
{
    private readonly List<string> _failures = [];

    /// <summary>Records that the setting <paramref name="name"/> is required when <paramref name="value"/> is null.</summary>
    /// <returns>Whether the setting was present.</returns>
    public bool Require(object? value, string name)
    {
        if (value is null)
        {
            _failures.Add($"{name} is required.");
            return false;
        }

        return true;
    }

    /// <summary>Records a failure that is not a missing setting.</summary>
    public void Add(string failure) => _failures.Add(failure);

    /// <summary>Success when nothing was recorded; otherwise every failure, in the order found.</summary>
    public ValidateOptionsResult ToResult() =>
        _failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_failures);
}
