namespace Wallet.Hosting.Wallets;

/// <summary>
/// Opens worker wallets with the pinned keys and clock of <see cref="WalletClientOptions"/>. A wallet app holds one
/// wallet per signed-in worker, so wallets are made on demand rather than registered as services.
/// </summary>
public sealed class WalletFactory
{
    private readonly WalletClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly WitnessPolicy? _witnessPolicy;

    /// <summary>Creates the factory from validated options.</summary>
    /// <param name="options">The client options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid.</exception>
    public WalletFactory(IOptions<WalletClientOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options.Value;
        _timeProvider = timeProvider;
        _witnessPolicy = _options.WitnessPolicy is { } policy ? new WitnessPolicy(policy) : null;
    }

    /// <summary>Opens a wallet over a worker's seed and account key. The caller owns the seed, the key and the wallet.</summary>
    /// <param name="seed">The wallet seed (from the device or a backup code).</param>
    /// <param name="account">The worker's account.</param>
    /// <param name="accountKey">The key registered for the account.</param>
    /// <returns>The wallet, under the configured witness policy if there is one; sync it with the scheme's log before use.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public WorkerWallet Open(WalletSeed seed, AccountId account, Ed25519SigningKey accountKey)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(accountKey);
        return new WorkerWallet(seed, account, accountKey, _options.SchemeKey!, _options.AccreditationKey!, _timeProvider, _witnessPolicy);
    }
}
