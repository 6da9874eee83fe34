using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;

namespace Wallet.Protocol.Tests.Operators;

public sealed class PayrollLineTests
{
    private static readonly AccountId Employer = new("employer-1");
    private static readonly AccountId Worker = new("worker-1");

    [Fact]
    public void LedgerKeyNamesTheContributorAndTheLineAndFitsAnIdempotencyKeyAtTheLongest()
    {
        var line = new PayrollLine(Employer, new IdempotencyKey("2026-11/42"), ContributionSource.Employer, Worker, Amount.FromMinorUnits(5));
        var longest = new PayrollLine(new AccountId(new string('e', PayrollLine.MaxContributorLength)), new IdempotencyKey(new string('k', PayrollLine.MaxLineKeyLength)), ContributionSource.Levy, Worker, Amount.Zero);

        Assert.Equal("pay:employer-1:2026-11/42", line.LedgerKey.Value);
        Assert.True(longest.LedgerKey.Value.Length <= IdempotencyKey.MaxLength);
        Assert.Equal((Employer, ContributionSource.Employer, Worker, Amount.FromMinorUnits(5)), (line.Contributor, line.Source, line.Worker, line.Amount));
    }

    [Fact]
    public void LineRefusesWhatWouldMakeItsLedgerKeyAmbiguousOrTooLong()
    {
        var key = new IdempotencyKey("k");
        Assert.Throws<ArgumentNullException>("contributor", () => new PayrollLine(null!, key, ContributionSource.Employer, Worker, Amount.Zero));
        Assert.Throws<ArgumentNullException>("lineKey", () => new PayrollLine(Employer, null!, ContributionSource.Employer, Worker, Amount.Zero));
        Assert.Throws<ArgumentNullException>("worker", () => new PayrollLine(Employer, key, ContributionSource.Employer, null!, Amount.Zero));
        Assert.Throws<ArgumentException>("contributor", () => new PayrollLine(new AccountId("a:b"), key, ContributionSource.Employer, Worker, Amount.Zero));
        Assert.Throws<ArgumentException>("contributor", () => new PayrollLine(new AccountId(new string('e', PayrollLine.MaxContributorLength + 1)), key, ContributionSource.Employer, Worker, Amount.Zero));
        Assert.Throws<ArgumentException>("lineKey", () => new PayrollLine(Employer, new IdempotencyKey(new string('k', PayrollLine.MaxLineKeyLength + 1)), ContributionSource.Employer, Worker, Amount.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("source", () => new PayrollLine(Employer, key, (ContributionSource)0, Worker, Amount.Zero));
    }
}
