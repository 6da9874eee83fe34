using System.Globalization;

namespace Wallet.Protocol;

/// <summary>
/// A non-negative quantity of money in minor units (pence). Arithmetic is checked: a sum that would overflow
/// throws instead of wrapping, and no operation produces a negative amount.
/// </summary>
/// <remarks>DESIGN.md section 3: amounts are integers in minor units; no floating point anywhere.</remarks>
public readonly struct Amount : IEquatable<Amount>, IComparable<Amount>
{
    private Amount(long minorUnits) => MinorUnits = minorUnits;

    /// <summary>The zero amount.</summary>
    public static Amount Zero => default;

    /// <summary>The amount in minor units; never negative.</summary>
    public long MinorUnits { get; }

    /// <summary>Whether the amount is zero.</summary>
    public bool IsZero => MinorUnits == 0;

    /// <summary>Creates an amount from minor units.</summary>
    /// <param name="minorUnits">The number of minor units, zero or more.</param>
    /// <returns>The amount.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minorUnits"/> is negative.</exception>
    public static Amount FromMinorUnits(long minorUnits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minorUnits);
        return new Amount(minorUnits);
    }

    /// <summary>Adds two amounts.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="OverflowException">The sum exceeds <see cref="long.MaxValue"/> minor units.</exception>
    public static Amount operator +(Amount left, Amount right) => new(checked(left.MinorUnits + right.MinorUnits));

    /// <summary>Adds two amounts; the named alternative to <c>+</c>.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns>The sum.</returns>
    /// <exception cref="OverflowException">The sum exceeds <see cref="long.MaxValue"/> minor units.</exception>
    public static Amount Add(Amount left, Amount right) => left + right;

    /// <summary>Subtracts <paramref name="right"/> from <paramref name="left"/> unless the result would be negative.</summary>
    /// <param name="left">The amount to subtract from.</param>
    /// <param name="right">The amount to subtract.</param>
    /// <param name="difference">The difference, or zero when the subtraction is refused.</param>
    /// <returns><see langword="true"/> when <paramref name="right"/> does not exceed <paramref name="left"/>.</returns>
    public static bool TrySubtract(Amount left, Amount right, out Amount difference)
    {
        if (right.MinorUnits > left.MinorUnits)
        {
            difference = Zero;
            return false;
        }

        difference = new Amount(left.MinorUnits - right.MinorUnits);
        return true;
    }

    /// <summary>Sums a sequence of amounts with overflow checking.</summary>
    /// <param name="amounts">The amounts.</param>
    /// <returns>The total.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="amounts"/> is <see langword="null"/>.</exception>
    /// <exception cref="OverflowException">The total exceeds <see cref="long.MaxValue"/> minor units.</exception>
    public static Amount Sum(IEnumerable<Amount> amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        var total = Zero;
        foreach (var amount in amounts)
        {
            total += amount;
        }

        return total;
    }

    /// <summary>Compares two amounts.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public static bool operator ==(Amount left, Amount right) => left.Equals(right);

    /// <summary>Compares two amounts.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns><see langword="true"/> when different.</returns>
    public static bool operator !=(Amount left, Amount right) => !left.Equals(right);

    /// <summary>Orders two amounts.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller.</returns>
    public static bool operator <(Amount left, Amount right) => left.MinorUnits < right.MinorUnits;

    /// <summary>Orders two amounts.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger.</returns>
    public static bool operator >(Amount left, Amount right) => left.MinorUnits > right.MinorUnits;

    /// <summary>Orders two amounts.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is smaller or equal.</returns>
    public static bool operator <=(Amount left, Amount right) => left.MinorUnits <= right.MinorUnits;

    /// <summary>Orders two amounts.</summary>
    /// <param name="left">The first amount.</param>
    /// <param name="right">The second amount.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is larger or equal.</returns>
    public static bool operator >=(Amount left, Amount right) => left.MinorUnits >= right.MinorUnits;

    /// <inheritdoc />
    public bool Equals(Amount other) => MinorUnits == other.MinorUnits;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Amount other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => MinorUnits.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(Amount other) => MinorUnits.CompareTo(other.MinorUnits);

    /// <summary>Returns the amount in minor units, invariant culture.</summary>
    /// <returns>For example <c>1250</c>.</returns>
    public override string ToString() => MinorUnits.ToString(CultureInfo.InvariantCulture);
}
