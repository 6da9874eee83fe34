using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Operators;

/// <summary>What an operator asks for when announcing a keyset, and what a contribution reports back.</summary>
public sealed class KeysetParametersTests
{
    private static readonly DateTimeOffset s_from = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void KeysetParametersRejectWindowEndingBeforeStart()
    {
        Assert.Throws<ArgumentException>("withdrawUntil", () => Parameters(withdrawUntil: s_from.AddTicks(-1)));
        Assert.Throws<ArgumentException>("withdrawUntil", () => Parameters(spendUntil: s_from.AddDays(29)));
        Assert.Throws<ArgumentException>("withdrawUntil", () => Parameters(depositUntil: s_from.AddDays(59)));
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(2047)]
    [InlineData(2560)]
    [InlineData(8192)]
    public void KeysetParametersRejectAnUnsupportedModulus(int bits) =>
        Assert.Throws<ArgumentOutOfRangeException>("modulusBits", () => Parameters(modulusBits: bits));

    [Fact]
    public void KeysetParametersRejectZeroDenominationUnknownModeAndNonTokenFund()
    {
        Assert.Throws<ArgumentOutOfRangeException>("denomination", () => Parameters(denomination: 0));
        Assert.Throws<ArgumentOutOfRangeException>("mode", () => Parameters(mode: 0));
        Assert.Throws<ArgumentException>("fund", () => Parameters(fund: "no spaces allowed"));
        Assert.Throws<ArgumentNullException>("fund", () => Parameters(fund: null!));
    }

    [Fact]
    public void EqualParametersDescribeTheSameKeysetInWholeSeconds()
    {
        var parameters = Parameters(withdrawUntil: s_from.AddDays(30).AddMilliseconds(400), modulusBits: 3072, mode: BlindRsaScheme.Rsapbssa);
        Assert.Equal(s_from.AddDays(30), parameters.WithdrawUntil);
        Assert.Equal(parameters, Parameters(withdrawUntil: s_from.AddDays(30), modulusBits: 3072, mode: BlindRsaScheme.Rsapbssa));

        byte[] key = ProtocolKeys.PartiallyBlind2048.PublicKey.ExportSubjectPublicKeyInfo();
        var descriptor = parameters.Describe(key);
        Assert.Equal((parameters.Epoch, parameters.Denomination, parameters.Fund, parameters.Mode), (descriptor.Epoch, descriptor.Denomination, descriptor.Fund, descriptor.Mode));
        Assert.Equal((parameters.WithdrawFrom, parameters.WithdrawUntil, parameters.SpendUntil, parameters.DepositUntil), (descriptor.WithdrawFrom, descriptor.WithdrawUntil, descriptor.SpendUntil, descriptor.DepositUntil));
        Assert.Equal(descriptor.Id, Parameters(withdrawUntil: s_from.AddDays(30), mode: BlindRsaScheme.Rsapbssa).Describe(key).Id);
        Assert.Throws<ArgumentException>("publicKey", () => parameters.Describe([]));
    }

    [Theory]
    [InlineData(LedgerStatus.Applied, true)]
    [InlineData(LedgerStatus.InsufficientFunds, false)]
    [InlineData(LedgerStatus.IdempotencyKeyReused, false)]
    [InlineData(LedgerStatus.AmountOverflow, false)]
    public void ContributionSucceedsOnlyWhenApplied(LedgerStatus status, bool succeeded)
    {
        Assert.Equal(succeeded, new ContributionResult(status, IsReplay: false).Succeeded);
        Assert.Equal(succeeded, new ContributionResult(status, IsReplay: true).Succeeded);
    }

    private static KeysetParameters Parameters(
        long denomination = 500,
        string fund = "general",
        DateTimeOffset? withdrawUntil = null,
        DateTimeOffset? spendUntil = null,
        DateTimeOffset? depositUntil = null,
        BlindRsaScheme mode = BlindRsaScheme.Rsabssa,
        int modulusBits = 2048) =>
        new(4, Amount.FromMinorUnits(denomination), fund, s_from, withdrawUntil ?? s_from.AddDays(30), spendUntil ?? s_from.AddDays(60), depositUntil ?? s_from.AddDays(90), mode, modulusBits);
}
