using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Wallet.Protocol.Diagnostics;

/// <summary>The instruments behind <see cref="WalletCoreDiagnostics"/>; the protocol roles call them in one line each.</summary>
internal static class ProtocolTelemetry
{
    private static readonly Meter Meter = new(WalletCoreDiagnostics.Name, typeof(ProtocolTelemetry).Assembly.GetName().Version?.ToString());
    private static readonly Counter<long> WithdrawalCounter = Meter.CreateCounter<long>(WalletCoreDiagnostics.Withdrawals, "{request}", "Withdrawal requests honoured with fresh blind signatures.");
    private static readonly Counter<long> IssuedCounter = Meter.CreateCounter<long>(WalletCoreDiagnostics.CoinsIssued, "{coin}", "Coins issued by withdrawals.");
    private static readonly Counter<long> DepositCounter = Meter.CreateCounter<long>(WalletCoreDiagnostics.Deposits, "{batch}", "Deposit batches accepted.");
    private static readonly Counter<long> DepositedCounter = Meter.CreateCounter<long>(WalletCoreDiagnostics.CoinsDeposited, "{coin}", "Coins accepted in deposits.");
    private static readonly Counter<long> DoubleSpendCounter = Meter.CreateCounter<long>(WalletCoreDiagnostics.DoubleSpends, "{proof}", "Double spends detected.");
    private static readonly Histogram<double> SigningHistogram = Meter.CreateHistogram<double>(WalletCoreDiagnostics.SigningDuration, "ms", "Blind-signing time of one withdrawal's coins.");

    public static ActivitySource Source { get; } = new(WalletCoreDiagnostics.Name, typeof(ProtocolTelemetry).Assembly.GetName().Version?.ToString());

    public static Activity? StartWithdrawal() => Source.StartActivity("walletcore.withdraw", ActivityKind.Server);

    public static Activity? StartDeposit() => Source.StartActivity("walletcore.deposit", ActivityKind.Server);

    public static void Withdrawn(int coins)
    {
        WithdrawalCounter.Add(1);
        IssuedCounter.Add(coins);
    }

    public static void Signed(int coins, TimeSpan elapsed) =>
        SigningHistogram.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("coins", coins));

    public static void Deposited(int coins)
    {
        DepositCounter.Add(1);
        DepositedCounter.Add(coins);
    }

    public static void DoubleSpent(int proofs) => DoubleSpendCounter.Add(proofs);
}
