namespace Wallet.Protocol.Registry;

/// <summary>
/// What the default-allocation table needs to know about one worker whose balance was never withdrawn: the account
/// and the jobs (sector, region, weight) the scheme already holds for it from payroll. Nothing else about the worker
/// is used. A profile of several jobs is split by the table's <see cref="SeveralJobsRule"/> (docs/PROTOCOL.md 5.24).
/// </summary>
/// <param name="Account">The worker's scheme account.</param>
/// <param name="Sector">The sector token (of the first job in canonical order, for a profile of several jobs).</param>
/// <param name="Region">The region token (of the first job in canonical order, for a profile of several jobs).</param>
public sealed record DefaultAllocationInput(AccountId Account, string Sector, string Region)
{
    /// <summary>Most jobs in one profile.</summary>
    public const int MaxJobs = 16;

    private readonly ImmutableArray<DefaultAllocationJob> _jobs;

    /// <summary>Creates a profile of one or more jobs.</summary>
    /// <param name="account">The worker's scheme account.</param>
    /// <param name="jobs">The jobs, 1 to <see cref="MaxJobs"/>, each (sector, region) once; kept in canonical order (ordinal by sector, then region).</param>
    /// <exception cref="ArgumentNullException"><paramref name="account"/>, <paramref name="jobs"/> or an item of it is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No jobs, too many, or a (sector, region) repeats.</exception>
    public DefaultAllocationInput(AccountId account, IEnumerable<DefaultAllocationJob> jobs)
        : this(account, "-", "-")
    {
        ArgumentNullException.ThrowIfNull(account);
        _jobs = Canonical(jobs, nameof(jobs));
        (Sector, Region) = (_jobs[0].Sector, _jobs[0].Region);
    }

    /// <summary>The jobs in canonical order: one job of weight 1 for a profile made from (sector, region).</summary>
    public ImmutableArray<DefaultAllocationJob> Jobs => _jobs.IsDefault ? [new DefaultAllocationJob(Sector, Region)] : _jobs;

    /// <summary>Jobs in canonical order (ordinal by sector, then region), checked: 1 to <see cref="MaxJobs"/>, each (sector, region) once.</summary>
    internal static ImmutableArray<DefaultAllocationJob> Canonical(IEnumerable<DefaultAllocationJob> jobs, string paramName)
    {
        ArgumentNullException.ThrowIfNull(jobs, paramName);
        var sorted = jobs.Select(j => j ?? throw new ArgumentNullException(paramName))
            .OrderBy(j => j.Sector, StringComparer.Ordinal).ThenBy(j => j.Region, StringComparer.Ordinal).ToImmutableArray();
        if (sorted.Length is 0 or > MaxJobs)
        {
            throw new ArgumentException($"A profile holds 1 to {MaxJobs} jobs.", paramName);
        }

        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i - 1].Sector == sorted[i].Sector && sorted[i - 1].Region == sorted[i].Region)
            {
                throw new ArgumentException("Each (sector, region) appears once in a profile.", paramName);
            }
        }

        return sorted;
    }
}
