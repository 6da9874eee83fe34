namespace Wallet.Protocol.Diagnostics;

/// <summary>
/// The names under which WalletCore publishes telemetry: one <see cref="System.Diagnostics.Metrics.Meter"/> and one
/// <see cref="System.Diagnostics.ActivitySource"/>, both called <see cref="Name"/>. Subscribe with OpenTelemetry's
/// <c>AddMeter</c>/<c>AddSource</c> or a <see cref="System.Diagnostics.Metrics.MeterListener"/>.
/// </summary>
/// <remarks>
/// Telemetry carries counts, outcomes and durations only: never an account, coin id, key or amount, so exporting it
/// reveals nothing the public log does not (DESIGN.md, privacy).
/// </remarks>
public static class WalletCoreDiagnostics
{
    /// <summary>The meter and activity source name.</summary>
    public const string Name = "WalletCore";

    /// <summary>Every instrument name starts with the lower-case product name (OpenTelemetry naming).</summary>
    private const string InstrumentPrefix = "walletcore.";

    /// <summary>Counter: withdrawal requests honoured with fresh blind signatures (replays are not counted).</summary>
    public const string Withdrawals = InstrumentPrefix + "withdrawals";

    /// <summary>Counter: coins issued by withdrawals.</summary>
    public const string CoinsIssued = InstrumentPrefix + "coins.issued";

    /// <summary>Counter: deposit batches accepted (replays are not counted).</summary>
    public const string Deposits = InstrumentPrefix + "deposits";

    /// <summary>Counter: coins accepted in deposits.</summary>
    public const string CoinsDeposited = InstrumentPrefix + "coins.deposited";

    /// <summary>Counter: double spends detected, one per proof returned.</summary>
    public const string DoubleSpends = InstrumentPrefix + "double_spends";

    /// <summary>Histogram, milliseconds: blind-signing time of one withdrawal's coins.</summary>
    public const string SigningDuration = InstrumentPrefix + "signing.duration";
}
