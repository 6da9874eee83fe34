namespace Wallet.Protocol.Ledger;

/// <summary>
/// A keyset's conservation counters, folded over the journal. With the keyset's outstanding balance they
/// satisfy <c>issued = outstanding + deposited + swapped in + expired + reversed</c>.
/// </summary>
/// <param name="Keyset">The keyset.</param>
/// <param name="Issued">Value issued as coins of the keyset.</param>
/// <param name="Deposited">Value of its coins deposited.</param>
/// <param name="SwappedIn">Value of its coins swapped in.</param>
/// <param name="Expired">Value that expired unspent.</param>
/// <param name="Reversed">Value of withdrawals of the keyset reversed because they could never be signed.</param>
/// <param name="IsExpired">Whether the keyset has been expired (closed to every further movement).</param>
/// <remarks>DESIGN.md section 4, "value is conserved per keyset".</remarks>
public sealed record KeysetTotals(KeysetId Keyset, Amount Issued, Amount Deposited, Amount SwappedIn, Amount Expired, Amount Reversed, bool IsExpired)
{
    /// <summary>Counters of a keyset the journal has not mentioned yet.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <returns>All-zero counters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is <see langword="null"/>.</exception>
    public static KeysetTotals Empty(KeysetId keyset)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        return new KeysetTotals(keyset, Amount.Zero, Amount.Zero, Amount.Zero, Amount.Zero, Amount.Zero, false);
    }

    /// <summary>Applies one entry's effect on this keyset.</summary>
    /// <param name="effect">The effect, for the same keyset.</param>
    /// <returns>The updated counters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="effect"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="effect"/> is for another keyset.</exception>
    /// <exception cref="OverflowException">A counter would exceed <see cref="long.MaxValue"/>.</exception>
    public KeysetTotals Apply(KeysetEffect effect)
    {
        ArgumentNullException.ThrowIfNull(effect);
        if (effect.Keyset != Keyset)
        {
            throw new ArgumentException("The effect is for another keyset.", nameof(effect));
        }

        return new KeysetTotals(
            Keyset,
            Issued + effect.Issued,
            Deposited + effect.Deposited,
            SwappedIn + effect.SwappedIn,
            Expired + effect.Expired,
            Reversed + effect.Reversed,
            IsExpired || effect.Closes);
    }
}
