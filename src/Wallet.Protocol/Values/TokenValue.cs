namespace Wallet.Protocol;

/// <summary>
/// Base of the token values (<see cref="AccountId"/>, <see cref="IdempotencyKey"/>): printable ASCII without spaces,
/// 1 to <see cref="MaxLength"/> characters, compared ordinally. Validation, equality and the text form are written
/// once here.
/// </summary>
/// <typeparam name="TSelf">The value type itself; values of different types are never equal.</typeparam>
public abstract class TokenValue<TSelf> : IEquatable<TSelf>
    where TSelf : TokenValue<TSelf>
{
    /// <summary>The longest value accepted.</summary>
    public const int MaxLength = AsciiToken.MaxLength;

    /// <summary>Only the token types of this assembly derive from this base.</summary>
    /// <param name="value">The value to validate.</param>
    /// <param name="paramName">The caller's parameter name, for the error.</param>
    private protected TokenValue(string value, string paramName) => Value = AsciiToken.Validate(value, paramName);

    /// <summary>The value.</summary>
    public string Value { get; }

    /// <summary>Compares two values ordinally.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when both are null or equal.</returns>
    public static bool operator ==(TokenValue<TSelf>? left, TokenValue<TSelf>? right) => left is null ? right is null : left.Equals(right as TSelf);

    /// <summary>Compares two values ordinally.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(TokenValue<TSelf>? left, TokenValue<TSelf>? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(TSelf? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TSelf);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Returns the value.</summary>
    /// <returns>The value.</returns>
    public override string ToString() => Value;
}
