using PortableBenefits.Demo.Pilot;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol;

namespace PortableBenefits.Demo.Steps;

/// <summary>The accreditation body accredits a dozen providers in four categories and signs the default-allocation table; the scheme publishes the registry in its log.</summary>
internal sealed class OpenSchemeStep : IPilotStep
{
    private static readonly (string Id, string Name, string Category, string Sector, long Price)[] Catalogue =
    [
        ("union-care", "Care Workers' Union", "union", "care", 500),
        ("union-logistics", "Transport and Logistics Union", "union", "logistics", 500),
        ("union-retail", "Shop and Retail Union", "union", "retail", 500),
        ("union-build", "Construction Workers' Union", "union", "construction", 500),
        ("assoc-independent", "Independent Workers' Association", "association", "*", 200),
        ("train-digital", "Digital Skills College", "training", "*", 500),
        ("train-safety", "Site Safety Training", "training", "construction", 500),
        ("train-language", "Language School", "training", "*", 500),
        ("train-care", "Care Certificate Academy", "training", "care", 500),
        ("legal-north", "Northern Law Centre", "legal", "*", 300),
        ("legal-south", "Southern Advice Bureau", "legal", "*", 300),
        ("legal-clinic", "Employment Rights Clinic", "legal", "*", 300),
    ];

    public string Title => "Accredit 12 providers, sign the default-allocation table, publish both in the log";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        world.Employers.AddRange(
        [
            new Employer("care-homes-north", "care", "north", PaysTrainingLevy: true),
            new Employer("homecare-south", "care", "south", PaysTrainingLevy: true),
            new Employer("city-logistics", "logistics", "south", PaysTrainingLevy: false),
            new Employer("parcelnet", "logistics", "north", PaysTrainingLevy: false),
            new Employer("fresh-retail", "retail", "north", PaysTrainingLevy: false),
            new Employer("buildright", "construction", "south", PaysTrainingLevy: true),
        ]);

        var now = world.Clock.Now;
        var records = new List<ProviderRecord>();
        foreach (var (id, name, category, sector, price) in Catalogue)
        {
            var key = world.Own(Ed25519SigningKey.Generate());
            var record = new ProviderRecord(new AccountId(id), name, [category], key.PublicKey, now.AddDays(-1), now.AddYears(1));
            records.Add(record);
            world.Providers.Add(new PilotProvider(new AccreditedProvider(record, key, world.SchemePublicKey, world.Clock), key, category, sector, price));
        }

        world.Registry = AccreditationRegistry.Sign(1, now.AddDays(-1), records, world.AccreditationKey);
        world.Checks.Check("registry", "the scheme published the accreditation body's signed registry", await world.Operator.PublishRegistryAsync(world.Registry, cancellationToken));

        // A worker who never chooses is represented by their sector's union; anyone else by the association.
        var rules = new List<DefaultAllocationRule> { new(DefaultAllocationTable.Any, DefaultAllocationTable.Any, new AccountId("assoc-independent")) };
        rules.AddRange(Catalogue.Where(c => c.Category == "union").Select(c => new DefaultAllocationRule(c.Sector, DefaultAllocationTable.Any, new AccountId(c.Id))));
        world.AllocationTable = DefaultAllocationTable.Sign(1, now.AddDays(-1), rules.OrderBy(r => r.Sector, StringComparer.Ordinal).ThenBy(r => r.Region, StringComparer.Ordinal), SeveralJobsRule.EqualSplit, world.AccreditationKey);
        world.Checks.Check("registry", "the default-allocation table verifies under the accreditation key", world.AllocationTable.Verify(world.AccreditationKey.PublicKey));
        world.Checks.Check("registry", "the scheme published the signed default-allocation table in its log", await world.Operator.PublishAllocationTableAsync(world.AllocationTable, cancellationToken));
        Console.WriteLine($"      {records.Count} providers: {string.Join(", ", Catalogue.GroupBy(c => c.Category).Select(g => $"{g.Count()} {g.Key}"))}");
    }
}
