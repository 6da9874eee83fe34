using System.Collections.Concurrent;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Transport;

namespace Wallet.Protocol.Schemes;

/// <summary>The operator surface (<see cref="ISchemeOperator"/>) of the scheme, in process.</summary>
public sealed partial class BenefitScheme : ISchemeOperator
{
    private readonly ConcurrentDictionary<string, (KeysetParameters Parameters, Lazy<Task<StoredKeyset>> Announced)> _announcements = new(StringComparer.Ordinal);

    /// <summary>
    /// Generates a fresh RSA key in this process, announces the keyset it signs for and keeps the key for issuing; the
    /// key is never stored or exported. A retry with the same idempotency key and parameters returns the same keyset.
    /// </summary>
    /// <param name="key">The idempotency key of this announcement.</param>
    /// <param name="parameters">The descriptor's fields.</param>
    /// <param name="cancellationToken">Cancels waiting; a generation already started still completes for a retry to find.</param>
    /// <returns>The stored keyset with its log index.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key was already used with other parameters.</exception>
    /// <remarks>
    /// docs/PROTOCOL.md section 5.1. The idempotency memory and the generated keys live as long as this object: after a
    /// restart the keyset can no longer issue (announce a new one; its coins stay depositable, since deposits verify
    /// against the logged public key). Hosts that must keep issuing across restarts use the overload taking the key.
    /// </remarks>
    public async Task<StoredKeyset> AnnounceKeysetAsync(IdempotencyKey key, KeysetParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(parameters);
        var entry = _announcements.GetOrAdd(key.Value, _ => (parameters, new Lazy<Task<StoredKeyset>>(() => GenerateAndAnnounceAsync(parameters))));
        if (!entry.Parameters.Equals(parameters))
        {
            throw new ArgumentException("The idempotency key was already used to announce a keyset with other parameters.", nameof(key));
        }

        try
        {
            return await entry.Announced.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (entry.Announced.Value.IsFaulted)
        {
            // A failed announcement is not remembered, so a retry runs it afresh.
            _announcements.TryRemove(new KeyValuePair<string, (KeysetParameters, Lazy<Task<StoredKeyset>>)>(key.Value, entry));
            throw;
        }
    }

    /// <inheritdoc/>
    Task<Ed25519PublicKey> ISchemeOperator.GetPublicKeyAsync(CancellationToken cancellationToken) => Task.FromResult(PublicKey);

    /// <inheritdoc/>
    async Task<ContributionResult> ISchemeOperator.ContributeAsync(IdempotencyKey key, ContributionSource source, AccountId worker, Amount amount, CancellationToken cancellationToken)
    {
        var result = await ContributeAsync(key, source, worker, amount, cancellationToken).ConfigureAwait(false);
        return new ContributionResult(result.Status, result.IsReplay);
    }

    /// <inheritdoc/>
    Task<long> ISchemeOperator.GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken) =>
        _ledger.GetBalanceAsync(account, cancellationToken);

    /// <inheritdoc/>
    Task<KeysetTotals> ISchemeOperator.GetKeysetTotalsAsync(KeysetId keyset, CancellationToken cancellationToken) =>
        _ledger.GetKeysetAsync(keyset, cancellationToken);

    /// <inheritdoc/>
    Task<LedgerVerification> ISchemeOperator.VerifyLedgerAsync(CancellationToken cancellationToken) =>
        _ledger.VerifyAsync(cancellationToken);

    private async Task<StoredKeyset> GenerateAndAnnounceAsync(KeysetParameters parameters)
    {
        var scheme = parameters.Mode == KeysetMode.RsaBlind ? BlindRsaScheme.Rsabssa : BlindRsaScheme.Rsapbssa;

        // Owned by the keyset's signer for the scheme's lifetime; not exportable, so it cannot leave this process.
        var signingKey = BlindRsaPrivateKey.Generate(parameters.ModulusBits, scheme);
        var descriptor = parameters.Describe(signingKey.PublicKey.ExportSubjectPublicKeyInfo());
        return await AnnounceKeysetAsync(descriptor, signingKey, CancellationToken.None).ConfigureAwait(false);
    }
}
