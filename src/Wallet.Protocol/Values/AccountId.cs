namespace Wallet.Protocol;

/// <summary>Identifies a party account in the ledger: a worker, a provider or a contributor.</summary>
/// <remarks>Printable ASCII without spaces, 1 to 128 characters; the scheme chooses the format (for example a scheme-assigned worker number). It never appears in a coin or the public log.</remarks>
public sealed class AccountId : IEquatable<AccountId>
{
    /// <summary>The longest value accepted.</summary>
    public const int MaxLength = AsciiToken.MaxLength;

    /// <summary>Creates the value after validating it.</summary>
    /// <param name="value">Printable ASCII without spaces, 1 to <see cref="MaxLength"/> characters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, too long or not printable ASCII.</exception>
    public AccountId(string value) => Value = AsciiToken.Validate(value, nameof(value));

    /// <summary>The value.</summary>
    public string Value { get; }

    /// <summary>Compares two values ordinally.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when both are null or equal.</returns>
    public static bool operator ==(AccountId? left, AccountId? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two values ordinally.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(AccountId? left, AccountId? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(AccountId? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AccountId);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Returns the value.</summary>
    /// <returns>The value.</returns>
    public override string ToString() => Value;
}
