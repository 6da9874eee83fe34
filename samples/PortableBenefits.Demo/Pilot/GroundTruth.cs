using Wallet.Crypto.BlindRsa;
using Wallet.Protocol;
using Wallet.Protocol.Payments;

namespace PortableBenefits.Demo.Pilot;

/// <summary>
/// The research ground truth (--ground-truth FILE, README.md "Ground truth for linkage research"): one tab-separated line
/// per event, naming the account behind each payment, swap and restore query the scheme stores without one. Lines are
/// written as events happen, from several threads, each line whole; the file is flushed when the pilot ends. Without a
/// file every call does nothing.
/// </summary>
internal sealed class GroundTruth : IDisposable
{
    private readonly Lock _lock = new();
    private readonly StreamWriter? _writer;

    public GroundTruth(string? path)
    {
        if (path is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            _writer = new StreamWriter(path, append: false) { NewLine = "\n" };
        }
    }

    public void Profile(PilotWorker worker) =>
        Write("profile", worker.Account.Value, worker.Employer.Name, worker.Employer.Sector, worker.Employer.Region);

    /// <summary>A payment a provider accepted; <paramref name="step"/> is the pilot step number as printed "[ n/N]".</summary>
    public void Pay(int step, PilotWorker worker, PaymentRequest request, IEnumerable<CoinId> coins) =>
        Write("pay", step.ToString(System.Globalization.CultureInfo.InvariantCulture), worker.Account.Value, request.Provider.Value, request.Id.ToString(), Join(coins));

    public void Swap(PilotWorker worker, IdempotencyKey key, IEnumerable<CoinId> inputs) =>
        Write("swap", worker.Account.Value, key.Value, Join(inputs));

    public void RestoreFind(PilotWorker worker, IEnumerable<BlindedMessage> messages) =>
        Write("restore-find", worker.Account.Value, string.Join(',', messages.Select(m => Convert.ToHexStringLower(m.AsSpan()))));

    public void RestoreAreSpent(PilotWorker worker, IEnumerable<CoinId> coins) =>
        Write("restore-arespent", worker.Account.Value, Join(coins));

    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
        }
    }

    private static string Join(IEnumerable<CoinId> coins) => string.Join(',', coins.Select(c => c.ToString()));

    private void Write(params string[] fields)
    {
        if (_writer is null)
        {
            return;
        }

        string line = string.Join('\t', fields);
        lock (_lock)
        {
            _writer.WriteLine(line);
        }
    }
}
