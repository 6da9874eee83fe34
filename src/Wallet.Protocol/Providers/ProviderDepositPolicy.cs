namespace Wallet.Protocol.Providers;

/// <summary>
/// When a provider deposits (docs/PROTOCOL.md section 5.5, "Deposit schedule"): a batch becomes ready once at least
/// <see cref="MinPayments"/> payments wait, or once payments have waited <see cref="MaxWait"/> (counted from the first
/// <see cref="AccreditedProvider.CreateScheduledDepositAsync"/> call that found one waiting); it is
/// then sent after a random delay of up to <see cref="MaxJitter"/>. Depositing each payment as it arrives would tell the
/// scheme when each worker paid; a schedule makes the deposit time a property of the provider's volume instead.
/// </summary>
public sealed record ProviderDepositPolicy
{
    private readonly int _minPayments = 16;
    private readonly TimeSpan _maxWait = TimeSpan.FromDays(2);
    private readonly TimeSpan _maxJitter = TimeSpan.FromHours(12);

    /// <summary>Gets the documented default: 16 payments or two days, then up to twelve hours of random delay.</summary>
    public static ProviderDepositPolicy Default { get; } = new();

    /// <summary>Gets the policy with no schedule: every waiting payment is deposited at once. It gives the scheme each payment's time; for tests and comparisons only.</summary>
    public static ProviderDepositPolicy Immediate { get; } = new() { MinPayments = 1, MaxWait = TimeSpan.Zero, MaxJitter = TimeSpan.Zero };

    /// <summary>Gets the number of waiting payments that makes a batch ready; at least 1 and at most 1024.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1..1024.</exception>
    public int MinPayments
    {
        get => _minPayments;
        init => _minPayments = value is >= 1 and <= DepositRequest.MaxSpends ? value : throw new ArgumentOutOfRangeException(nameof(value), "At least 1 and at most 1024 payments.");
    }

    /// <summary>Gets how long payments may wait, from the first scheduling call that found one waiting, before a smaller batch is ready; not negative. Keysets leave more than <see cref="MaxWait"/> plus <see cref="MaxJitter"/> between spend_until and deposit_until.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan MaxWait
    {
        get => _maxWait;
        init => _maxWait = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "The wait is not negative.");
    }

    /// <summary>Gets the largest random delay between a batch becoming ready and being sent; not negative.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan MaxJitter
    {
        get => _maxJitter;
        init => _maxJitter = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), "The delay is not negative.");
    }
}
