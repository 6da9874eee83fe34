namespace Wallet.Hosting.Validation;

/// <summary>The start-up check of a role's witness policy option: valid options whose log key is the pinned scheme key.</summary>
internal static class WitnessPolicyValidation
{
    /// <summary>Records each problem of <paramref name="policy"/> under the option's name; nothing when it is null.</summary>
    public static void Check(OptionFailures failures, WitnessPolicyOptions? policy, Ed25519PublicKey? schemeKey, string option)
    {
        if (policy is null)
        {
            return;
        }

        IReadOnlyList<string> problems = policy.Validate();
        foreach (string problem in problems)
        {
            failures.Add($"{option}.{problem}");
        }

        // The scheme signs its checkpoints with its own key (docs/PROTOCOL.md 5.14): a policy for another key trusts nothing it serves.
        if (problems.Count == 0 && schemeKey is not null && !new WitnessPolicy(policy).LogKey.PublicKey.Equals(schemeKey))
        {
            failures.Add($"{option}.{nameof(WitnessPolicyOptions.LogVerifierKey)} is not the scheme key: the scheme signs its checkpoints with it.");
        }
    }
}
