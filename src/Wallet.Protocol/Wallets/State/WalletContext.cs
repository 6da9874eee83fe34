using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Wallets.State;

/// <summary>
/// What every wallet flow shares: the state, the keys it signs and verifies with, the clock, and the seed that derives
/// each coin. Coin secrets are re-derived when needed and disposed at once; the state keeps only public coin data.
/// </summary>
/// <param name="seed">The wallet seed (not owned).</param>
/// <param name="account">The worker's account.</param>
/// <param name="accountKey">The worker's account key (not owned).</param>
/// <param name="schemeKey">The scheme's public key.</param>
/// <param name="accreditationKey">The accreditation body's public key.</param>
/// <param name="time">The clock.</param>
/// <param name="witnessPolicy">The witness policy checkpoints must meet (PROTOCOL.md 5.13), or null to trust the scheme's signature alone.</param>
internal sealed class WalletContext(WalletSeed seed, AccountId account, Ed25519SigningKey accountKey, Ed25519PublicKey schemeKey, Ed25519PublicKey accreditationKey, TimeProvider time, WitnessPolicy? witnessPolicy)
{
    /// <summary>The wallet's state.</summary>
    public WalletState State { get; } = new();

    /// <summary>The worker's account.</summary>
    public AccountId Account { get; } = account;

    /// <summary>The worker's account key.</summary>
    public Ed25519SigningKey AccountKey { get; } = accountKey;

    /// <summary>The scheme's public key.</summary>
    public Ed25519PublicKey SchemeKey { get; } = schemeKey;

    /// <summary>The accreditation body's public key.</summary>
    public Ed25519PublicKey AccreditationKey { get; } = accreditationKey;

    /// <summary>The witness policy, or null when the wallet trusts tree heads on the scheme's signature alone.</summary>
    public WitnessPolicy? WitnessPolicy { get; } = witnessPolicy;

    /// <summary>The current time.</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Derives the secrets of the coin at <paramref name="keyset"/>, <paramref name="counter"/>; the caller disposes them.</summary>
    public CoinSecrets DeriveCoin(KeysetId keyset, ulong counter) => seed.DeriveCoin(keyset.Bytes, counter);

    /// <summary>The id (public key) of the coin at a seed slot, without its secrets: for checking coins against the seed.</summary>
    public byte[] DeriveCoinId(KeysetId keyset, ulong counter) => seed.DeriveCoinId(keyset.Bytes, counter);

    /// <summary>
    /// The wallet's pay moment for a mandate period (PROTOCOL.md 5.19): uniform within the period's pay window, from
    /// HKDF-SHA-256 over the seed with the mandate id and period as info. It survives restarts (the seed restores it)
    /// and tells nobody without the seed anything about the wallet.
    /// </summary>
    public DateTimeOffset MandatePayMoment(DuesMandate mandate, uint period)
    {
        Span<byte> key = stackalloc byte[WalletSeed.Length];
        Span<byte> info = stackalloc byte[MandateId.Length + 4];
        Span<byte> output = stackalloc byte[8];
        try
        {
            seed.CopyTo(key);
            mandate.Id.Bytes.CopyTo(info);
            BinaryPrimitives.WriteUInt32BigEndian(info[MandateId.Length..], period);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, key, output, "PB1/mandate-pay-moment"u8, info);

            // 64 bits reduced modulo a window of at most 2^25 seconds: the bias is below 2^-38.
            ulong offset = BinaryPrimitives.ReadUInt64BigEndian(output) % mandate.PayWindowSeconds;
            return mandate.PeriodStart(period) + TimeSpan.FromSeconds(offset);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Blinds the coin at a seed slot (RFC 9474 section 4.2); the caller disposes the state.</summary>
    public BlindingState Blind(TrustedKeyset keyset, ulong counter, out CoinId coinId)
    {
        using var secrets = DeriveCoin(keyset.Descriptor.Id, counter);
        coinId = new CoinId(secrets.PublicKey);
        return keyset.Client.PrepareAndBlind(Coin.BuildMessage(keyset.Descriptor.Id, coinId), secrets, keyset.Metadata);
    }

    /// <summary>Re-blinds the coin at a seed slot and finalizes <paramref name="signature"/> (RFC 9474 section 4.4); null when it does not verify.</summary>
    public WalletCoin? Unblind(TrustedKeyset keyset, ulong counter, BlindSignature signature)
    {
        using var state = Blind(keyset, counter, out var coinId);
        return Finalize(keyset, counter, state, coinId, signature);
    }

    /// <summary>
    /// Allocates the next seed counter of each keyset (one coin per entry) and blinds a new coin there. The blinding
    /// states are held in <see cref="WalletState.Blindings"/> until completion, which otherwise re-derives them from
    /// the seed. Call under the state lock.
    /// </summary>
    public (WithdrawalItem[] Items, CoinSlot[] Slots) BlindOutputs(IReadOnlyList<TrustedKeyset> keysets)
    {
        var items = new WithdrawalItem[keysets.Count];
        var slots = new CoinSlot[keysets.Count];
        for (int i = 0; i < slots.Length; i++)
        {
            ulong counter = keysets[i].NextCounter++;
            slots[i] = new CoinSlot(keysets[i].Descriptor.Id, counter);
            var state = Blind(keysets[i], counter, out var coinId);
            items[i] = new WithdrawalItem(keysets[i].Descriptor.Id, state.BlindedMessage);
            State.HoldBlinding(slots[i], new HeldBlinding(state, coinId));
        }

        return (items, slots);
    }

    /// <summary>
    /// Unblinds and verifies one signature per slot, with the blinding held since preparation or else re-derived from
    /// the seed; null when any fails, so nothing is kept unless all pass. The held blindings are wiped either way.
    /// Call under the state lock.
    /// </summary>
    public List<WalletCoin>? UnblindAll(CoinSlot[] slots, IReadOnlyList<BlindSignature> signatures)
    {
        var coins = new List<WalletCoin>(slots.Length);
        try
        {
            for (int i = 0; i < slots.Length; i++)
            {
                var keyset = State.Keysets[slots[i].Keyset];
                var held = State.TakeBlinding(slots[i]);
                using (held?.State)
                {
                    var coin = held is null
                        ? Unblind(keyset, slots[i].Counter, signatures[i])
                        : Finalize(keyset, slots[i].Counter, held.State, held.Coin, signatures[i]);
                    if (coin is null)
                    {
                        return null;
                    }

                    coins.Add(coin);
                }
            }

            return coins;
        }
        finally
        {
            // After a failure, the slots not reached.
            State.ReleaseBlindings(slots);
        }
    }

    private static WalletCoin? Finalize(TrustedKeyset keyset, ulong counter, BlindingState state, CoinId coinId, BlindSignature signature)
    {
        try
        {
            byte[] final = keyset.Client.Finalize(state, signature);
            return new WalletCoin(new Coin(keyset.Descriptor.Id, coinId, final), counter, keyset.Descriptor.Denomination);
        }
        catch (BlindRsaException)
        {
            return null;
        }
    }
}
