namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// Recovery after a keyset's revocation, wallet side: each held coin of the revoked keyset is disclosed (salt and
/// blinding factor) and swapped for new coins of a replacement keyset. Completion is the swap's.
/// </summary>
/// <remarks>DESIGN.md section 3; docs/PROTOCOL.md "Recovery".</remarks>
internal sealed class RecoveryFlow(WalletContext context, SwapFlow swap)
{
    private readonly WalletState _state = context.State;

    public RecoveryPreparation Prepare(IdempotencyKey key, KeysetId revokedKeyset, IReadOnlyList<KeysetId> replacementKeysets)
    {
        var revoked = _state.Trusted(revokedKeyset);
        var now = context.Now;
        lock (_state.Lock)
        {
            swap.RequireFreeKey(key);
            var targets = DenominationSplit.Targets(_state, replacementKeysets, now, nameof(replacementKeysets));
            if (targets[0].Descriptor.Fund != revoked.Descriptor.Fund)
            {
                throw new ArgumentException("Replacement keysets must be of the revoked keyset's fund.", nameof(replacementKeysets));
            }

            var coins = _state.Available().Where(c => c.Coin.Keyset == revokedKeyset).OrderBy(c => c.Coin.Id).ToList();
            if (coins.Count == 0)
            {
                return new RecoveryPreparation(RecoveryPreparationStatus.NoCoinsToRecover, null);
            }

            if (DenominationSplit.Exact(targets, coins.Sum(c => c.Value.MinorUnits)) is not { } split)
            {
                return new RecoveryPreparation(RecoveryPreparationStatus.NoExactSplit, null);
            }

            var items = coins.Select(c => Disclose(revoked, c)).ToList();
            var (outputs, slots) = context.BlindOutputs(split);
            var request = RecoveryRequest.Sign(context.Account, key, items, outputs, now, context.AccountKey);
            _state.PendingSwaps[key] = new PendingSwap(request.Hash(), [.. coins.Select(c => c.Coin.Id)], slots, request);
            return new RecoveryPreparation(RecoveryPreparationStatus.Ready, request);
        }
    }

    public SwapCompletion Complete(RecoveryRequest request, SwapResponse response) => swap.Complete(request.IdempotencyKey, request.Hash(), response);

    // Disclosing the blinding links the coin to its withdrawal; that costs nothing for a coin never spent.
    private RecoveryItem Disclose(TrustedKeyset keyset, WalletCoin coin)
    {
        using var secrets = context.DeriveCoin(keyset.Descriptor.Id, coin.Counter);
        using var state = keyset.Client.PrepareAndBlind(Coin.BuildMessage(keyset.Descriptor.Id, coin.Coin.Id), secrets, keyset.Metadata);
        byte[] r = BlindingDisclosure.ExportBlindingFactor(state);
        try
        {
            return new RecoveryItem(coin.Coin, secrets.PssSalt[..keyset.Descriptor.Algorithm.SaltLength], r);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(r);
        }
    }
}
