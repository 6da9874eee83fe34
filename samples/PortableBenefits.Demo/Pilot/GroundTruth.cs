using PortableBenefits.Linkage.Truth;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol;
using Wallet.Protocol.Payments;
using Collected = PortableBenefits.Linkage.Truth.GroundTruth;

namespace PortableBenefits.Demo.Pilot;

/// <summary>
/// The research ground truth (--ground-truth FILE, README.md "Ground truth for linkage research"): one tab-separated line
/// per event, naming the account behind each payment, swap and restore query the scheme stores without one. Lines are
/// written as events happen, from several threads, each line whole; the file is flushed when the pilot ends. Every event
/// is also kept in memory (<see cref="Events"/>), which the pilot's own linkage evaluation scores the scheme's data against.
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

    /// <summary>Gets every event so far, in memory; read it once the pilot's steps have run.</summary>
    public Collected Events { get; } = new();

    public void Profile(PilotWorker worker)
    {
        Keep(() => Events.Add(new WorkerProfile(worker.Account, worker.Employer.Name, worker.Employer.Sector, worker.Employer.Region)));
        Write("profile", worker.Account.Value, worker.Employer.Name, worker.Employer.Sector, worker.Employer.Region);
    }

    /// <summary>A payment a provider accepted; <paramref name="step"/> is the pilot step number as printed "[ n/N]".</summary>
    public void Pay(int step, PilotWorker worker, PaymentRequest request, IEnumerable<CoinId> coins)
    {
        var list = coins.ToList();
        string stepText = step.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Keep(() => Events.Add(new TruePayment(stepText, worker.Account, request.Provider, request.Id, list)));
        Write("pay", stepText, worker.Account.Value, request.Provider.Value, request.Id.ToString(), Join(list));
    }

    public void Swap(PilotWorker worker, IdempotencyKey key, IEnumerable<CoinId> inputs)
    {
        var list = inputs.ToList();
        Keep(() => Events.Add(new TrueSwap(worker.Account, key, list)));
        Write("swap", worker.Account.Value, key.Value, Join(list));
    }

    public void RestoreFind(PilotWorker worker, IEnumerable<BlindedMessage> messages)
    {
        var list = messages.ToList();
        Keep(() => Events.Add(new TrueRestoreFind(worker.Account, list)));
        Write("restore-find", worker.Account.Value, string.Join(',', list.Select(m => Convert.ToHexStringLower(m.AsSpan()))));
    }

    public void RestoreAreSpent(PilotWorker worker, IEnumerable<CoinId> coins)
    {
        var list = coins.ToList();
        Keep(() => Events.Add(new TrueRestoreSpentCheck(worker.Account, list)));
        Write("restore-arespent", worker.Account.Value, Join(list));
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _writer?.Dispose();
        }
    }

    private static string Join(IEnumerable<CoinId> coins) => string.Join(',', coins.Select(c => c.ToString()));

    private void Keep(Action add)
    {
        lock (_lock)
        {
            add();
        }
    }

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
