namespace Wallet.Protocol.Registry;

/// <summary>
/// One job of a worker's default-allocation profile: the (sector, region) the scheme holds for it from payroll, and a
/// weight that the table's <see cref="SeveralJobsRule.ProRata"/> rule splits by (docs/PROTOCOL.md 5.24).
/// </summary>
public sealed record DefaultAllocationJob
{
    /// <summary>The largest weight a job may carry.</summary>
    public const uint MaxWeight = 1_000_000;

    /// <summary>Creates a job.</summary>
    /// <param name="sector">The sector token (printable ASCII, 1 to 128 characters).</param>
    /// <param name="region">The region token.</param>
    /// <param name="weight">The weight, 1 to <see cref="MaxWeight"/>; only the <see cref="SeveralJobsRule.ProRata"/> rule reads it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sector"/> or <paramref name="region"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sector"/> or <paramref name="region"/> is not a token.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weight"/> is 0 or above <see cref="MaxWeight"/>.</exception>
    public DefaultAllocationJob(string sector, string region, uint weight = 1)
    {
        ArgumentNullException.ThrowIfNull(sector);
        ArgumentNullException.ThrowIfNull(region);
        AsciiToken.Validate(sector, nameof(sector));
        AsciiToken.Validate(region, nameof(region));
        if (weight is 0 or > MaxWeight)
        {
            throw new ArgumentOutOfRangeException(nameof(weight), $"A job's weight is 1 to {MaxWeight}.");
        }

        (Sector, Region, Weight) = (sector, region, weight);
    }

    /// <summary>The sector token.</summary>
    public string Sector { get; }

    /// <summary>The region token.</summary>
    public string Region { get; }

    /// <summary>The weight for <see cref="SeveralJobsRule.ProRata"/>.</summary>
    public uint Weight { get; }
}
