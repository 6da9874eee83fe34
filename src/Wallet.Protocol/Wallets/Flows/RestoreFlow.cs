namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// Restore from the seed alone: re-derive the blinded messages of a counter range, unblind the signatures the scheme
/// stored for them, and mark the coins it reports spent.
/// </summary>
/// <remarks>DESIGN.md section 3 flow 7.</remarks>
internal sealed class RestoreFlow(WalletContext context)
{
    private readonly WalletState _state = context.State;

    public IReadOnlyList<BlindedMessage> Prepare(KeysetId keyset, ulong firstCounter, int count)
    {
        var trusted = _state.Trusted(keyset);
        var messages = new BlindedMessage[count];
        for (int i = 0; i < count; i++)
        {
            using var state = context.Blind(trusted, firstCounter + (ulong)i, out _);
            messages[i] = state.BlindedMessage;
        }

        return messages;
    }

    public int Complete(KeysetId keyset, ulong firstCounter, IReadOnlyList<BlindSignature?> signatures)
    {
        var trusted = _state.Trusted(keyset);
        int recovered = 0;
        lock (_state.Lock)
        {
            for (int i = 0; i < signatures.Count; i++)
            {
                if (signatures[i] is not { } signature)
                {
                    continue;
                }

                ulong counter = firstCounter + (ulong)i;
                if (context.Unblind(trusted, counter, signature) is { } coin && _state.TryAddCoin(coin))
                {
                    recovered++;
                }

                trusted.NextCounter = Math.Max(trusted.NextCounter, counter + 1);
            }
        }

        return recovered;
    }

    public void MarkSpent(IReadOnlyList<CoinId> coins, IReadOnlyList<bool> spent)
    {
        lock (_state.Lock)
        {
            for (int i = 0; i < coins.Count; i++)
            {
                if (spent[i])
                {
                    _state.MarkSpent(coins[i]);
                }
            }
        }
    }
}
