using Wallet.Protocol.Providers;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>A provider of the crash soak: the role, what workers paid it, and its deposit receipts.</summary>
internal sealed class SoakProvider(AccreditedProvider role)
{
    private long _paid;

    public AccreditedProvider Role { get; } = role;

    /// <summary>Payments the provider verified (added from every worker's task).</summary>
    public long Paid => Interlocked.Read(ref _paid);

    /// <summary>The value of the deposit receipts the scheme signed and the provider verified (its own task only).</summary>
    public long Receipts { get; set; }

    public int Deposits { get; set; }

    public void AddPaid(long amount) => Interlocked.Add(ref _paid, amount);
}
