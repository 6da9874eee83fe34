namespace Wallet.Protocol;

/// <summary>Validation shared by the printable-ASCII identifiers (<see cref="AccountId"/>, <see cref="IdempotencyKey"/>).</summary>
internal static class AsciiToken
{
    public const int MaxLength = 128;

    public static string Validate(string value, string paramName)
    {
        ArgumentNullException.ThrowIfNull(value, paramName);
        if (value.Length is 0 or > MaxLength)
        {
            throw new ArgumentException($"The value has 1 to {MaxLength} characters.", paramName);
        }

        foreach (char c in value)
        {
            if (c is < (char)0x21 or > (char)0x7E)
            {
                throw new ArgumentException("The value is printable ASCII without spaces.", paramName);
            }
        }

        return value;
    }
}
