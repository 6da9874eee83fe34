using PortableBenefits.Linkage.Observations;
using PortableBenefits.Linkage.Tests.Worlds;

namespace PortableBenefits.Linkage.Tests.Observations;

public sealed class SchemeObservationsLoaderTests
{
    [Fact]
    public async Task LoaderReadsWithdrawalsSwapsAndPaymentsAsTheSchemeStoredThem()
    {
        await using var pilot = await SyntheticPilot.CreateAsync();
        await pilot.RunAsync(workers: 3, gap: TimeSpan.FromHours(2), depositAtOnce: true);
        await pilot.CloseAsync();
        var before = Fingerprint(pilot.Directory);

        var observed = await SchemeObservationsLoader.LoadAsync(pilot.Directory, CancellationToken.None);

        // Withdrawals name the account; one 500 coin each.
        Assert.Equal(["worker-000", "worker-001", "worker-002"], observed.Withdrawals.Select(w => w.Account.Value));
        Assert.All(observed.Withdrawals, w => Assert.Equal(1, Assert.Single(w.Coins).Value));
        Assert.Equal(ProtocolWorld0, observed.Withdrawals[0].Time);
        Assert.Equal(ProtocolWorld0 + TimeSpan.FromHours(2) + TimeSpan.FromMinutes(5), observed.Withdrawals[1].Time);

        // Swaps name no account: one 500 in, five 100s out.
        Assert.Equal(3, observed.Swaps.Count);
        Assert.All(observed.Swaps, s => Assert.Equal(5, Assert.Single(s.Outputs).Value));

        // Payments as their spends carry them: provider, amount, request time, deposit time and coins.
        Assert.Equal(3, observed.Payments.Count);
        var truth = pilot.Truth.Payments.ToDictionary(p => p.Payment);
        foreach (var payment in observed.Payments)
        {
            var paid = truth[payment.Id];
            Assert.Equal(paid.Provider, payment.Provider);
            Assert.Equal(100, payment.Amount.MinorUnits);
            Assert.Equal(paid.Coins.Order(), payment.Coins.Select(c => c.Id).Order());
            Assert.True(payment.DepositedAt > payment.RequestedAt);
        }

        // The request reaches the scheme with its day only (PB/1 version 2); the deposit's own time is the scheme's clock.
        Assert.Equal(Wallet.Protocol.Payments.PaymentRequest.DayOf(observed.Withdrawals[1].Time), observed.Payments[1].RequestedAt);
        Assert.Equal(observed.Withdrawals[1].Time + TimeSpan.FromMinutes(5), observed.Payments[1].DepositedAt);
        Assert.Equal(observed.Payments[1].DepositedAt, observed.Payments[1].PaidBy);

        // The pilot's files are evidence: the loader reads copies.
        Assert.Equal(before, Fingerprint(pilot.Directory));
    }

    [Fact]
    public async Task LoaderNamesAMissingFile()
    {
        string empty = Directory.CreateTempSubdirectory("walletcore-linkage-empty-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<FileNotFoundException>(() => SchemeObservationsLoader.LoadAsync(empty, CancellationToken.None));
            Assert.Contains("ledger.db", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    private static DateTimeOffset ProtocolWorld0 => Wallet.Protocol.Tests.EndToEnd.ProtocolWorld.Start;

    private static string Fingerprint(string directory) => string.Join(
        ";",
        Directory.GetFiles(directory).Order(StringComparer.Ordinal).Select(f => $"{Path.GetFileName(f)}:{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))}"));

}
