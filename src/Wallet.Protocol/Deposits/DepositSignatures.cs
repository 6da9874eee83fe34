namespace Wallet.Protocol.Deposits;

/// <summary>
/// The signature checks of a deposit's coins, made before the scheme's gate and on up to
/// <see cref="SchemeContext.VerificationParallelism"/> cores (docs/PROTOCOL.md 5.5). They read nothing that changes: a
/// keyset's descriptor never changes under its id, so the outcome is the one the sequential checks would reach.
/// </summary>
internal static class DepositSignatures
{
    /// <summary>
    /// Each spend's <see cref="SpendSignatures"/> by batch index, or null for a coin of a keyset not announced yet
    /// (checked in order later, where it is refused or verified then).
    /// </summary>
    public static async Task<SpendSignatures?[]> VerifyAsync(SchemeContext context, IKeysetStore keysets, DepositRequest request, CancellationToken cancellationToken)
    {
        var descriptors = new Dictionary<KeysetId, KeysetDescriptor?>();
        foreach (var spend in request.Spends)
        {
            if (!descriptors.ContainsKey(spend.Coin.Keyset))
            {
                descriptors[spend.Coin.Keyset] = (await keysets.GetKeysetAsync(spend.Coin.Keyset, cancellationToken).ConfigureAwait(false))?.Announcement.Descriptor;
            }
        }

        return ParallelChecks.Run(request.Spends.Length, context.VerificationParallelism, context.ParallelVerificationFrom, i =>
        {
            var spend = request.Spends[i];
            if (descriptors[spend.Coin.Keyset] is not { } descriptor)
            {
                return (SpendSignatures?)null;
            }

            var signer = context.Signers.GetValueOrDefault(descriptor.Id);
            bool issued = signer is not null ? spend.Coin.VerifyIssuerWith(descriptor, signer.Verifier) : spend.Coin.VerifyIssuer(descriptor);
            return new SpendSignatures(issued, spend.VerifySpendSignature());
        });
    }
}
