namespace Wallet.Protocol;

/// <summary>The key under which a request is made idempotent: the same key returns the same result with exactly one effect, even when the first response was lost.</summary>
/// <remarks>Printable ASCII without spaces, 1 to 128 characters (for example 32 hexadecimal digits drawn from RandomNumberGenerator by the client). DESIGN.md section 4: a retried request with the same key has exactly one effect and the same response. Keys are global to the ledger, not per client: the protocol layer must scope them by the authenticated account (for example by prefixing the account id) so one client can neither replay nor block another's request.</remarks>
public sealed class IdempotencyKey : IEquatable<IdempotencyKey>
{
    /// <summary>The longest value accepted.</summary>
    public const int MaxLength = AsciiToken.MaxLength;

    /// <summary>Creates the value after validating it.</summary>
    /// <param name="value">Printable ASCII without spaces, 1 to <see cref="MaxLength"/> characters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, too long or not printable ASCII.</exception>
    public IdempotencyKey(string value) => Value = AsciiToken.Validate(value, nameof(value));

    /// <summary>The value.</summary>
    public string Value { get; }

    /// <summary>Compares two values ordinally.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when both are null or equal.</returns>
    public static bool operator ==(IdempotencyKey? left, IdempotencyKey? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two values ordinally.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(IdempotencyKey? left, IdempotencyKey? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(IdempotencyKey? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as IdempotencyKey);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Returns the value.</summary>
    /// <returns>The value.</returns>
    public override string ToString() => Value;
}
