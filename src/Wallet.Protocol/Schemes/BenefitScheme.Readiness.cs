namespace Wallet.Protocol.Schemes;

/// <summary>What a host's readiness probe asks the scheme (docs/operations.md).</summary>
public sealed partial class BenefitScheme
{
    /// <summary>
    /// The keysets a worker may withdraw from now (announced, not revoked, inside their withdrawal window) whose
    /// blind-signing key is not attached: while any is listed, withdrawals from it are refused with
    /// <see cref="WithdrawalStatus.SigningKeyUnavailable"/>, and a host should report itself not ready.
    /// </summary>
    /// <remarks>
    /// Reads the scheme store (so it also fails when the store is unreachable) and the signers attached by
    /// <see cref="LoadKeysAsync"/> and by announcements; it never contacts a signing process.
    /// </remarks>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The keysets without a key, in the store's order; empty when every withdrawable keyset can be signed for.</returns>
    public async Task<IReadOnlyList<KeysetId>> ListUnsignableKeysetsAsync(CancellationToken cancellationToken = default)
    {
        var now = _context.Time.GetUtcNow();
        var keysets = await ListKeysetsAsync(cancellationToken).ConfigureAwait(false);
        return [.. keysets
            .Where(k => !k.Revoked && k.Announcement.Descriptor.IsWithdrawable(now) && !_context.Signers.ContainsKey(k.Announcement.Descriptor.Id))
            .Select(k => k.Announcement.Descriptor.Id)];
    }
}
