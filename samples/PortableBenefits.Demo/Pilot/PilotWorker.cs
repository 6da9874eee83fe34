using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Wallets;

namespace PortableBenefits.Demo.Pilot;

/// <summary>One worker: who employs them, what they contribute, what they like to spend on, and their phone's wallet.</summary>
internal sealed class PilotWorker
{
    public required AccountId Account { get; init; }

    public required Employer Employer { get; init; }

    public required WalletSeed Seed { get; init; }

    public required Ed25519SigningKey AccountKey { get; set; }

    public required WorkerWallet Wallet { get; set; }

    /// <summary>Pays in personally each month (a worker contribution).</summary>
    public bool SelfContributes { get; init; }

    /// <summary>Receives the state top-up for low earnings.</summary>
    public bool StateTopUp { get; init; }

    /// <summary>Never opens the app: the balance goes by default allocation at epoch end.</summary>
    public bool Inactive { get; init; }

    public string? Union { get; init; }

    public bool JoinsAssociation { get; init; }

    public double TrainingAppetite { get; init; }

    public double LegalNeed { get; init; }

    public long WithdrawnTotal { get; set; }

    /// <summary>The dues mandate the worker's union issued at enrolment and the wallet accepted (docs/PROTOCOL.md 5.19).</summary>
    public Wallet.Protocol.Mandates.DuesMandate? Mandate { get; set; }

    /// <summary>A second employer the worker also works for, from the first epoch on (PROTOCOL.md 5.24), or null.</summary>
    public Employer? SecondEmployer { get; set; }

    /// <summary>The employer the worker moves to at <see cref="MovesAtEpoch"/>, or null for a worker who stays.</summary>
    public Employer? NextEmployer { get; set; }

    /// <summary>The first epoch paid by <see cref="NextEmployer"/>.</summary>
    public uint MovesAtEpoch { get; set; }

    /// <summary>
    /// Contributions outside the monthly payroll that the scheme applied (the funds step's late levy), so the worker's
    /// statement can be checked against everything paid.
    /// </summary>
    public List<(Wallet.Protocol.Ledger.ContributionSource Source, string Contributor, long Amount)> ExtraContributions { get; } = [];

    /// <summary>The employer whose payroll pays the worker's main job in an epoch: the next one from the move on.</summary>
    public Employer EmployerIn(uint epoch) => NextEmployer is { } next && epoch >= MovesAtEpoch ? next : Employer;

    /// <summary>
    /// The default-allocation profile the scheme holds from an epoch's payroll: one job per employer that paid, each
    /// (sector, region) once.
    /// </summary>
    public Wallet.Protocol.Registry.DefaultAllocationInput ProfileIn(uint epoch) =>
        new(Account, new[] { EmployerIn(epoch), SecondEmployer }.OfType<Employer>()
            .DistinctBy(e => (e.Sector, e.Region))
            .Select(e => new Wallet.Protocol.Registry.DefaultAllocationJob(e.Sector, e.Region)));
}
