using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Diagnostics;

namespace Wallet.Hosting.Tests.Diagnostics;

/// <summary>
/// The scheme's counters and activities, observed the way an exporter would (MeterListener, ActivityListener) over a
/// real round trip. Other tests run at the same time, so the assertions are lower bounds on the deltas.
/// </summary>
public sealed class ProtocolTelemetryTests
{
    [Fact]
    public async Task RoundTripWithDoubleSpendMovesEveryCounterAndRecordsSigningLatency()
    {
        var totals = new ConcurrentDictionary<string, double>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == WalletCoreDiagnostics.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name + ".count", 1, (_, v) => v + 1));
        listener.Start();
        var activities = new ConcurrentBag<string>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == WalletCoreDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => activities.Add(activity.OperationName),
        };
        ActivitySource.AddActivityListener(activityListener);

        using var world = new HostedRoundTrip();
        var (honest, repeat) = await world.RunAsync(doubleSpend: true);

        Assert.Equal(DepositStatus.Accepted, honest.Status);
        Assert.Equal(DepositStatus.DoubleSpend, repeat!.Status);
        Assert.True(totals.GetValueOrDefault(WalletCoreDiagnostics.Withdrawals) >= 1);
        Assert.True(totals.GetValueOrDefault(WalletCoreDiagnostics.CoinsIssued) >= 1);
        Assert.True(totals.GetValueOrDefault(WalletCoreDiagnostics.Deposits) >= 1);
        Assert.True(totals.GetValueOrDefault(WalletCoreDiagnostics.CoinsDeposited) >= 1);
        Assert.True(totals.GetValueOrDefault(WalletCoreDiagnostics.DoubleSpends) >= 1);
        Assert.True(totals.GetValueOrDefault(WalletCoreDiagnostics.SigningDuration + ".count") >= 1);
        Assert.Contains("walletcore.withdraw", activities);
        Assert.Contains("walletcore.deposit", activities);
    }
}
