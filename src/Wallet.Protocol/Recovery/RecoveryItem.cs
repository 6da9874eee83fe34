namespace Wallet.Protocol.Recovery;

/// <summary>
/// One coin of a revoked keyset offered for recovery, with its blinding disclosed: the PSS salt and the blinding
/// factor r, from which the scheme recomputes the blinded message it signed at withdrawal.
/// </summary>
/// <remarks>
/// Disclosing r links this coin to its withdrawal (RFC 9474 section 4.2: blind_msg = EMSA-PSS-ENCODE(msg, salt) · r^e
/// mod n). That costs nothing for a coin never spent; docs/PROTOCOL.md section 6 and 5.11.
/// </remarks>
public sealed class RecoveryItem
{
    /// <summary>Longest salt accepted.</summary>
    public const int MaxSaltLength = 64;

    private readonly byte[] _salt;
    private readonly byte[] _blindingFactor;

    /// <summary>Creates an item.</summary>
    /// <param name="coin">The coin.</param>
    /// <param name="salt">The PSS salt (1 to 64 bytes).</param>
    /// <param name="blindingFactor">The blinding factor r, big-endian (1 to 1024 bytes).</param>
    /// <exception cref="ArgumentNullException"><paramref name="coin"/> is null.</exception>
    /// <exception cref="ArgumentException">The salt or blinding factor is empty or too long.</exception>
    public RecoveryItem(Coin coin, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> blindingFactor)
    {
        ArgumentNullException.ThrowIfNull(coin);
        if (salt.Length is 0 or > MaxSaltLength)
        {
            throw new ArgumentException("The salt has 1 to 64 bytes.", nameof(salt));
        }

        if (blindingFactor.Length is 0 or > WithdrawalItem.MaxBlindedLength)
        {
            throw new ArgumentException("The blinding factor has 1 to 1024 bytes.", nameof(blindingFactor));
        }

        Coin = coin;
        _salt = salt.ToArray();
        _blindingFactor = blindingFactor.ToArray();
    }

    /// <summary>The coin.</summary>
    public Coin Coin { get; }

    /// <summary>The PSS salt.</summary>
    public ReadOnlySpan<byte> Salt => _salt;

    /// <summary>The blinding factor r.</summary>
    public ReadOnlySpan<byte> BlindingFactor => _blindingFactor;

    /// <inheritdoc/>
    public override string ToString() => $"RecoveryItem({Coin.Id})";

    internal void Write(ProtocolWriter w)
    {
        Coin.Write(w);
        w.Opaque8(_salt);
        w.Opaque16(_blindingFactor);
    }

    internal static RecoveryItem Read(ref ProtocolReader r)
    {
        var coin = Coin.Read(ref r);
        var salt = r.Opaque8("salt", 1, MaxSaltLength);
        return new RecoveryItem(coin, salt, r.Opaque16("blinding_factor", 1, WithdrawalItem.MaxBlindedLength));
    }
}
