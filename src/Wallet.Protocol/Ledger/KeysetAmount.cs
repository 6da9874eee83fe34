namespace Wallet.Protocol.Ledger;

/// <summary>Value issued as a new coin of a keyset (a withdrawal or swap output).</summary>
public sealed record KeysetAmount
{
    /// <summary>Creates the record.</summary>
    /// <param name="keyset">The keyset that will sign the coin.</param>
    /// <param name="value">The coin's value, more than zero.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is zero.</exception>
    public KeysetAmount(KeysetId keyset, Amount value)
        : this(keyset, value, LedgerAccount.GeneralFund)
    {
    }

    /// <summary>Creates the record for a coin of a keyset of a given fund.</summary>
    /// <param name="keyset">The keyset that will sign the coin.</param>
    /// <param name="value">The coin's value, more than zero.</param>
    /// <param name="fund">
    /// The keyset's fund, from its descriptor (docs/PROTOCOL.md section 5.22): a withdrawal debits the worker's
    /// sub-balance in this fund. Trusted as given, like the value: the protocol layer passes the descriptor's fund.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> or <paramref name="fund"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is zero.</exception>
    /// <exception cref="ArgumentException"><paramref name="fund"/> is not a fund token (see <see cref="LedgerAccount.WorkerFund"/>).</exception>
    public KeysetAmount(KeysetId keyset, Amount value, string fund)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        if (value.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "A coin has a positive value.");
        }

        LedgerAccount.RequireFund(fund, nameof(fund));
        Keyset = keyset;
        Value = value;
        Fund = fund;
    }

    /// <summary>The keyset.</summary>
    public KeysetId Keyset { get; }

    /// <summary>The value.</summary>
    public Amount Value { get; }

    /// <summary>The keyset's fund; <c>general</c> unless given.</summary>
    public string Fund { get; }
}
