namespace Wallet.Protocol.Ledger;

/// <summary>An account in the ledger: a kind and, for kinds with many accounts, a key.</summary>
/// <remarks>DESIGN.md section 4 lists the accounts; docs/ledger.md gives each one's sign convention.</remarks>
public sealed class LedgerAccount : IEquatable<LedgerAccount>, IComparable<LedgerAccount>
{
    /// <summary>The general fund's token, as on <c>KeysetDescriptor.GeneralFund</c>.</summary>
    internal const string GeneralFund = "general";

    private const char FundSeparator = '/';
    private const int MaxFundLength = 128;

    private static readonly string[] SourceKeys = ["", "employer", "worker", "levy", "state"];

    private LedgerAccount(LedgerAccountKind kind, string key)
    {
        Kind = kind;
        Key = key;
    }

    /// <summary>The single default-pool account.</summary>
    public static LedgerAccount DefaultPool { get; } = new(LedgerAccountKind.DefaultPool, "");

    /// <summary>The single expired-value account.</summary>
    public static LedgerAccount Expired { get; } = new(LedgerAccountKind.Expired, "");

    /// <summary>The account's kind.</summary>
    public LedgerAccountKind Kind { get; }

    /// <summary>
    /// The key within the kind: the account id for workers and providers (payable and payouts), <c>account/fund</c> for
    /// a worker's restricted-fund sub-balance, the keyset id in lower-case hex for
    /// outstanding coins, the source name (<c>employer</c>, <c>worker</c>, <c>levy</c>, <c>state</c>) for
    /// contribution sources, and empty for the single accounts.
    /// </summary>
    public string Key { get; }

    /// <summary>Whether the balance may never go below zero (every kind except contribution sources).</summary>
    public bool IsNonNegative => Kind != LedgerAccountKind.ContributionSource;

    /// <summary>The account a contribution source pays from.</summary>
    /// <param name="source">The source type.</param>
    /// <returns>The account.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is not a defined value.</exception>
    public static LedgerAccount Contribution(ContributionSource source)
    {
        if (!Enum.IsDefined(source))
        {
            throw new ArgumentOutOfRangeException(nameof(source));
        }

        return new LedgerAccount(LedgerAccountKind.ContributionSource, SourceKeys[(int)source]);
    }

    /// <summary>A worker's account.</summary>
    /// <param name="worker">The worker.</param>
    /// <returns>The account.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="worker"/> is <see langword="null"/>.</exception>
    public static LedgerAccount Worker(AccountId worker)
    {
        ArgumentNullException.ThrowIfNull(worker);
        return new LedgerAccount(LedgerAccountKind.Worker, worker.Value);
    }

    /// <summary>A worker's sub-balance in one fund (docs/PROTOCOL.md section 5.22).</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="fund">
    /// The fund token: <c>general</c> gives <see cref="Worker(AccountId)"/>; any other fund is keyed <c>account/fund</c>, so it
    /// is printable ASCII without <c>/</c>, of 1 to 128 characters.
    /// </param>
    /// <returns>The account.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="worker"/> or <paramref name="fund"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="fund"/> is not a fund token.</exception>
    public static LedgerAccount WorkerFund(AccountId worker, string fund)
    {
        ArgumentNullException.ThrowIfNull(worker);
        RequireFund(fund, nameof(fund));
        return fund == GeneralFund ? Worker(worker) : new LedgerAccount(LedgerAccountKind.WorkerFund, $"{worker.Value}{FundSeparator}{fund}");
    }

    /// <summary>Checks a fund token as the ledger accepts it: printable ASCII without <c>/</c>, of 1 to 128 characters.</summary>
    /// <param name="fund">The fund token.</param>
    /// <param name="paramName">The parameter named in the exception.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fund"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="fund"/> is not a fund token.</exception>
    internal static void RequireFund(string fund, string paramName)
    {
        ArgumentNullException.ThrowIfNull(fund, paramName);
        if (!IsFund(fund))
        {
            throw new ArgumentException("A fund is 1 to 128 printable ASCII characters without '/'.", paramName);
        }
    }

    /// <summary>A provider's payable account.</summary>
    /// <param name="provider">The provider.</param>
    /// <returns>The account.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is <see langword="null"/>.</exception>
    public static LedgerAccount Provider(AccountId provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new LedgerAccount(LedgerAccountKind.ProviderPayable, provider.Value);
    }

    /// <summary>A provider's payouts account: what has been paid out of the scheme to it (docs/PROTOCOL.md section 5.18).</summary>
    /// <param name="provider">The provider.</param>
    /// <returns>The account.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is <see langword="null"/>.</exception>
    public static LedgerAccount Payouts(AccountId provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new LedgerAccount(LedgerAccountKind.Payouts, provider.Value);
    }

    /// <summary>The outstanding-coins account of a keyset.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <returns>The account.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is <see langword="null"/>.</exception>
    public static LedgerAccount Outstanding(KeysetId keyset)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        return new LedgerAccount(LedgerAccountKind.Outstanding, keyset.ToString());
    }

    /// <summary>Recreates an account from its stored kind and key, rejecting any non-canonical pair.</summary>
    /// <param name="kind">The stored kind.</param>
    /// <param name="key">The stored key.</param>
    /// <param name="account">The account, when valid.</param>
    /// <returns><see langword="true"/> when the pair names a valid account in canonical form.</returns>
    public static bool TryCreate(LedgerAccountKind kind, string? key, [NotNullWhen(true)] out LedgerAccount? account)
    {
        account = null;
        if (key is null)
        {
            return false;
        }

        switch (kind)
        {
            case LedgerAccountKind.ContributionSource:
                int index = Array.IndexOf(SourceKeys, key);
                if (index > 0)
                {
                    account = new LedgerAccount(kind, key);
                }

                break;
            case LedgerAccountKind.Worker or LedgerAccountKind.ProviderPayable or LedgerAccountKind.Payouts:
                if (IsToken(key))
                {
                    account = new LedgerAccount(kind, key);
                }

                break;
            case LedgerAccountKind.WorkerFund:
                int split = key.LastIndexOf(FundSeparator);
                if (split > 0 && IsToken(key[..split]) && IsFund(key[(split + 1)..]) && key[(split + 1)..] != GeneralFund)
                {
                    account = new LedgerAccount(kind, key);
                }

                break;
            case LedgerAccountKind.Outstanding:
                if (key.Length == KeysetId.Length * 2 && key.All(c => char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c)))
                {
                    account = new LedgerAccount(kind, key);
                }

                break;
            case LedgerAccountKind.DefaultPool:
                account = key.Length == 0 ? DefaultPool : null;
                break;
            case LedgerAccountKind.Expired:
                account = key.Length == 0 ? Expired : null;
                break;
        }

        return account is not null;
    }

    /// <summary>The keyset of an outstanding-coins account.</summary>
    /// <returns>The keyset, or <see langword="null"/> for any other kind.</returns>
    public KeysetId? GetKeyset() => Kind == LedgerAccountKind.Outstanding ? KeysetId.Parse(Key) : null;

    /// <summary>The worker whose sub-balance this is.</summary>
    /// <returns>The worker of a <see cref="LedgerAccountKind.Worker"/> or <see cref="LedgerAccountKind.WorkerFund"/> account, or <see langword="null"/> for any other kind.</returns>
    public AccountId? GetWorker() => Kind switch
    {
        LedgerAccountKind.Worker => new AccountId(Key),
        LedgerAccountKind.WorkerFund => new AccountId(Key[..Key.LastIndexOf(FundSeparator)]),
        _ => null,
    };

    /// <summary>The fund of a worker's sub-balance.</summary>
    /// <returns><c>general</c> for a <see cref="LedgerAccountKind.Worker"/> account, the fund of a <see cref="LedgerAccountKind.WorkerFund"/> account, or <see langword="null"/> for any other kind.</returns>
    public string? GetFund() => Kind switch
    {
        LedgerAccountKind.Worker => GeneralFund,
        LedgerAccountKind.WorkerFund => Key[(Key.LastIndexOf(FundSeparator) + 1)..],
        _ => null,
    };

    /// <summary>Compares two accounts.</summary>
    /// <param name="left">The first account.</param>
    /// <param name="right">The second account.</param>
    /// <returns><see langword="true"/> when both are null or equal.</returns>
    public static bool operator ==(LedgerAccount? left, LedgerAccount? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two accounts.</summary>
    /// <param name="left">The first account.</param>
    /// <param name="right">The second account.</param>
    /// <returns><see langword="true"/> when they differ.</returns>
    public static bool operator !=(LedgerAccount? left, LedgerAccount? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(LedgerAccount? other) =>
        other is not null && other.Kind == Kind && string.Equals(other.Key, Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as LedgerAccount);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Key));

    /// <summary>Orders accounts by kind, then key (ordinal): the canonical order of postings in an entry.</summary>
    /// <param name="other">The account to compare with.</param>
    /// <returns>Negative, zero or positive.</returns>
    public int CompareTo(LedgerAccount? other)
    {
        if (other is null)
        {
            return 1;
        }

        int byKind = Kind.CompareTo(other.Kind);
        return byKind != 0 ? byKind : string.CompareOrdinal(Key, other.Key);
    }

    /// <summary>Returns <c>kind:key</c>, for example <c>Worker:w-17</c>.</summary>
    /// <returns>A readable name.</returns>
    public override string ToString() => Key.Length == 0 ? Kind.ToString() : $"{Kind}:{Key}";

    private static bool IsFund(string fund) =>
        fund.Length is > 0 and <= MaxFundLength && fund.All(c => c is >= (char)0x21 and <= (char)0x7E && c != FundSeparator);

    private static bool IsToken(string key) =>
        key.Length is > 0 and <= AccountId.MaxLength && key.All(c => c is >= (char)0x21 and <= (char)0x7E);
}
