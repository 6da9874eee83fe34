using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Diagnostics;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Diagnostics;

/// <summary>
/// What an exporter subscribed to <see cref="WalletCoreDiagnostics.Name"/> sees over a real withdrawal and deposit.
/// Other tests run at the same time and publish too, so every check holds for any measurement, not just ours.
/// </summary>
public sealed class TelemetryTests
{
    private static readonly string[] s_instruments =
    [
        WalletCoreDiagnostics.Withdrawals, WalletCoreDiagnostics.CoinsIssued, WalletCoreDiagnostics.Deposits,
        WalletCoreDiagnostics.CoinsDeposited, WalletCoreDiagnostics.DoubleSpends, WalletCoreDiagnostics.SigningDuration,
    ];

    [Fact]
    public async Task TelemetryCarriesNoAccountOrAmount()
    {
        var seen = await ObserveRoundTripAsync("worker-telemetry-7731", "union-a", 500);

        Assert.NotEmpty(seen.Tags);
        Assert.Contains("walletcore.withdraw", seen.Activities);
        Assert.Contains("walletcore.deposit", seen.Activities);
        Assert.All(seen.Tags, tag =>
        {
            Assert.DoesNotContain("worker-telemetry-7731", tag, StringComparison.Ordinal);
            Assert.DoesNotContain("union-a", tag, StringComparison.Ordinal);
            Assert.DoesNotContain("500", tag, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task EveryInstrumentIsOneOfThePublishedNames()
    {
        var seen = await ObserveRoundTripAsync("worker-telemetry-names", "union-a", 100);

        Assert.Equal(s_instruments.Order(StringComparer.Ordinal), seen.Instruments.Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(WalletCoreDiagnostics.CoinsIssued, seen.Measured);
        Assert.Contains(WalletCoreDiagnostics.CoinsDeposited, seen.Measured);
    }

    private static async Task<Observed> ObserveRoundTripAsync(string account, string provider, long amount)
    {
        var observed = new Observed();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == WalletCoreDiagnostics.Name)
                {
                    observed.Instruments.Add(instrument.Name);
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, _, tags, _) => observed.Record(instrument, tags));
        meters.SetMeasurementEventCallback<double>((instrument, _, tags, _) => observed.Record(instrument, tags));
        meters.Start();
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WalletCoreDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                observed.Activities.Add(activity.OperationName);
                foreach (var (key, value) in activity.TagObjects)
                {
                    observed.Tags.Add($"activity:{key}={value}");
                }

                foreach (var (key, value) in activity.Baggage)
                {
                    observed.Tags.Add($"activity:{key}={value}");
                }
            },
        };
        ActivitySource.AddActivityListener(activities);

        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var wallet = await world.FundedWalletAsync(account, [.. Enumerable.Repeat(world.General100, (int)(amount / 100))]);
        var payee = new[] { world.UnionA, world.UnionB }.Single(p => p.Record.Id.Value == provider);
        await world.PayAsync(wallet, payee, amount);
        var (_, result) = await world.DepositAsync(payee, "d1");
        Assert.Equal(DepositStatus.Accepted, result.Status);
        return observed;
    }

    private sealed class Observed
    {
        public ConcurrentBag<string> Instruments { get; } = [];

        public ConcurrentBag<string> Measured { get; } = [];

        public ConcurrentBag<string> Activities { get; } = [];

        public ConcurrentBag<string> Tags { get; } = [];

        public void Record(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            Measured.Add(instrument.Name);
            foreach (var (key, value) in tags)
            {
                Tags.Add($"{key}={value}");
            }
        }
    }
}
