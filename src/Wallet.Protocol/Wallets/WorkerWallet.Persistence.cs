using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Wallets;

/// <summary>
/// The sealed wallet file: the wallet's whole state as one canonical, versioned encoding (docs/PROTOCOL.md section 8.1)
/// inside a <see cref="SealedFile"/> (Argon2id + XChaCha20-Poly1305 under a passphrase), replaced atomically.
/// </summary>
public sealed partial class WorkerWallet
{
    /// <summary>
    /// The wallet state encoding version written; versions 1 (no pending swaps or recoveries), 2 (no payments in flight),
    /// 3 (without payments), 4 (no checkpoint or split-view evidence) and 5 (no dues mandates) still load.
    /// </summary>
    public const byte StateVersion = WalletFileCodec.CurrentVersion;

    /// <summary>
    /// Saves the wallet to <paramref name="path"/>, sealed under <paramref name="passphrase"/>: the new file is written
    /// beside the old one, flushed, then renamed over it, so a crash leaves the previous file or the new one, never a mix.
    /// </summary>
    /// <param name="path">The wallet file.</param>
    /// <param name="passphrase">The passphrase; not empty.</param>
    /// <param name="parameters">The Argon2id cost; <see cref="SealedFileParameters.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the save; the previous file is then left untouched.</param>
    /// <returns>A task that completes once the new file is durable.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="passphrase"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> or <paramref name="passphrase"/> is empty.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    /// <exception cref="IOException">The file system refused the write or the rename.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task SaveAsync(string path, string passphrase, SealedFileParameters? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        ThrowIfDisposed();
        byte[] state = ExportState();
        return SaveSealedAsync(path, state, passphrase, parameters, cancellationToken);
    }

    /// <summary>
    /// Loads a wallet saved by <see cref="SaveAsync"/>. The seed and keys are not owned and must outlive the wallet;
    /// they must be the ones the file was saved with (every coin is re-derived from the seed and compared).
    /// </summary>
    /// <param name="path">The wallet file.</param>
    /// <param name="passphrase">The passphrase.</param>
    /// <param name="seed">The wallet seed.</param>
    /// <param name="accountKey">The worker's account key.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The wallet, behaving exactly as the one saved.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="WalletFileException">The file is not a wallet file, was altered or truncated, the passphrase is wrong, or the seed or keys do not match it.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static Task<WorkerWallet> LoadAsync(
        string path,
        string passphrase,
        WalletSeed seed,
        Ed25519SigningKey accountKey,
        Ed25519PublicKey schemeKey,
        Ed25519PublicKey accreditationKey,
        TimeProvider timeProvider,
        CancellationToken cancellationToken = default) =>
        LoadAsync(path, passphrase, seed, accountKey, schemeKey, accreditationKey, timeProvider, null, cancellationToken);

    /// <summary>
    /// Loads a wallet saved by <see cref="SaveAsync"/> under a witness policy (PROTOCOL.md 5.13). The policy is
    /// configuration, not state: the file keeps the trusted checkpoint and the split-view evidence, and the wallet
    /// applies <paramref name="witnessPolicy"/> to the checkpoints it observes from then on.
    /// </summary>
    /// <param name="path">The wallet file.</param>
    /// <param name="passphrase">The passphrase.</param>
    /// <param name="seed">The wallet seed.</param>
    /// <param name="accountKey">The worker's account key.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="witnessPolicy">The witness policy, or null to trust the scheme's signature alone.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The wallet, behaving exactly as the one saved.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="witnessPolicy"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty, or the policy's log key is not <paramref name="schemeKey"/>.</exception>
    /// <exception cref="WalletFileException">The file is not a wallet file, was altered or truncated, the passphrase is wrong, or the seed or keys do not match it.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<WorkerWallet> LoadAsync(
        string path,
        string passphrase,
        WalletSeed seed,
        Ed25519SigningKey accountKey,
        Ed25519PublicKey schemeKey,
        Ed25519PublicKey accreditationKey,
        TimeProvider timeProvider,
        WitnessPolicy? witnessPolicy,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(passphrase);
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentNullException.ThrowIfNull(accreditationKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (witnessPolicy is not null && !witnessPolicy.LogKey.PublicKey.Equals(schemeKey))
        {
            throw new ArgumentException("The witness policy's log key is not the scheme key.", nameof(witnessPolicy));
        }

        byte[] state;
        try
        {
            state = await SealedFile.ReadAsync(path, passphrase, cancellationToken).ConfigureAwait(false);
        }
        catch (SealedFileException ex)
        {
            var error = ex.Error == SealedFileError.AuthenticationFailed ? WalletFileError.AuthenticationFailed : WalletFileError.NotAWalletFile;
            throw new WalletFileException(error, "The wallet file could not be opened.", ex);
        }

        try
        {
            return ImportState(state, seed, accountKey, schemeKey, accreditationKey, timeProvider, witnessPolicy);
        }
        finally
        {
            // The plaintext state names coins and counters: not a secret key, but not left lying in memory either.
            CryptographicOperations.ZeroMemory(state);
        }
    }

    /// <summary>The canonical state encoding (the plaintext of the wallet file).</summary>
    internal byte[] ExportState() => WalletFileCodec.Encode(_context);

    /// <summary>Rebuilds a wallet from <see cref="ExportState"/> bytes.</summary>
    internal static WorkerWallet ImportState(ReadOnlySpan<byte> state, WalletSeed seed, Ed25519SigningKey accountKey, Ed25519PublicKey schemeKey, Ed25519PublicKey accreditationKey, TimeProvider timeProvider, WitnessPolicy? witnessPolicy = null)
    {
        var image = WalletFileCodec.Decode(state);
        WalletStateLoader.RequireKeys(image, accountKey, schemeKey);
        var wallet = new WorkerWallet(seed, image.Account, accountKey, schemeKey, accreditationKey, timeProvider, witnessPolicy);
        try
        {
            WalletStateLoader.Load(image, wallet._context);
            return wallet;
        }
        catch
        {
            wallet.Dispose();
            throw;
        }
    }

    private static async Task SaveSealedAsync(string path, byte[] state, string passphrase, SealedFileParameters? parameters, CancellationToken cancellationToken)
    {
        try
        {
            await SealedFile.WriteAsync(path, state, passphrase, parameters, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(state);
        }
    }
}
