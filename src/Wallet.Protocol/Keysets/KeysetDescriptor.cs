namespace Wallet.Protocol.Keysets;

/// <summary>
/// The public description of one keyset: epoch, denomination, fund, windows, signing mode and RSA public key.
/// Its <see cref="Id"/> is the SHA-256 of its canonical encoding, so any change to any field is a different keyset.
/// </summary>
/// <remarks>docs/PROTOCOL.md "Keysets"; DESIGN.md section 3 "Keys and keysets".</remarks>
public sealed class KeysetDescriptor
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>The fund every accredited provider may redeem, whatever its categories.</summary>
    public const string GeneralFund = "general";

    /// <summary>Largest accepted SubjectPublicKeyInfo, in bytes (an RSA-8192 key fits).</summary>
    public const int MaxPublicKeyLength = 1100;

    private readonly byte[] _publicKey;
    private byte[]? _encoded;

    /// <summary>Creates a descriptor.</summary>
    /// <param name="epoch">The issuance epoch.</param>
    /// <param name="denomination">The value of every coin of the keyset; positive.</param>
    /// <param name="fund">The fund token (<see cref="GeneralFund"/> or a restricted fund named after a provider category).</param>
    /// <param name="withdrawFrom">Start of the withdrawal window.</param>
    /// <param name="withdrawUntil">End of the withdrawal window.</param>
    /// <param name="spendUntil">Last moment a payment request may be issued for a coin.</param>
    /// <param name="depositUntil">Last moment a coin may be deposited.</param>
    /// <param name="mode">The signing mode.</param>
    /// <param name="publicKey">The RSA public key as SubjectPublicKeyInfo DER.</param>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The key is empty or too long, the fund is not a token, or the windows are out of order.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The denomination is not positive or the mode is unknown.</exception>
    public KeysetDescriptor(
        uint epoch,
        Amount denomination,
        string fund,
        DateTimeOffset withdrawFrom,
        DateTimeOffset withdrawUntil,
        DateTimeOffset spendUntil,
        DateTimeOffset depositUntil,
        BlindRsaScheme mode,
        ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(fund);
        if (publicKey.IsEmpty || publicKey.Length > MaxPublicKeyLength)
        {
            throw new ArgumentException("The public key has 1 to 1100 bytes.", nameof(publicKey));
        }

        if (denomination.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(denomination), "The denomination is positive.");
        }

        if (mode is not (BlindRsaScheme.Rsabssa or BlindRsaScheme.Rsapbssa))
        {
            throw new ArgumentOutOfRangeException(nameof(mode));
        }

        AsciiToken.Validate(fund, nameof(fund));
        WithdrawFrom = Seconds(withdrawFrom);
        WithdrawUntil = Seconds(withdrawUntil);
        SpendUntil = Seconds(spendUntil);
        DepositUntil = Seconds(depositUntil);
        if (WithdrawFrom > WithdrawUntil || WithdrawUntil > SpendUntil || SpendUntil > DepositUntil)
        {
            throw new ArgumentException("The windows satisfy withdraw_from <= withdraw_until <= spend_until <= deposit_until.", nameof(withdrawUntil));
        }

        (Epoch, Denomination, Fund, Mode) = (epoch, denomination, fund, mode);
        _publicKey = publicKey.ToArray();
        Id = new KeysetId(SHA256.HashData(Encode()));
    }

    /// <summary>The keyset id: SHA-256 of <see cref="Encode"/>.</summary>
    public KeysetId Id { get; }

    /// <summary>The issuance epoch.</summary>
    public uint Epoch { get; }

    /// <summary>The value of every coin.</summary>
    public Amount Denomination { get; }

    /// <summary>The fund token.</summary>
    public string Fund { get; }

    /// <summary>Start of the withdrawal window (whole seconds).</summary>
    public DateTimeOffset WithdrawFrom { get; }

    /// <summary>End of the withdrawal window.</summary>
    public DateTimeOffset WithdrawUntil { get; }

    /// <summary>Last moment a payment may be made with a coin.</summary>
    public DateTimeOffset SpendUntil { get; }

    /// <summary>Last moment a coin may be deposited.</summary>
    public DateTimeOffset DepositUntil { get; }

    /// <summary>The signing mode.</summary>
    public BlindRsaScheme Mode { get; }

    /// <summary>The RSA public key (SubjectPublicKeyInfo DER).</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The RFC 9474 / partially blind variant that the mode implies.</summary>
    public BlindRsaAlgorithm Algorithm =>
        Mode == BlindRsaScheme.Rsabssa ? BlindRsaAlgorithm.RsaBssaSha384PssDeterministic : BlindRsaAlgorithm.RsaPbssaSha384PssDeterministic;

    /// <summary>The public metadata bound into every signature: the descriptor bytes in partially blind mode, nothing otherwise.</summary>
    public ReadOnlySpan<byte> Metadata => Mode == BlindRsaScheme.Rsapbssa ? Encode() : default;

    /// <summary>Whether a withdrawal at <paramref name="now"/> is inside the window.</summary>
    /// <param name="now">The instant to check.</param>
    /// <returns>True inside [withdraw_from, withdraw_until].</returns>
    public bool IsWithdrawable(DateTimeOffset now) => now >= WithdrawFrom && now <= WithdrawUntil;

    /// <summary>Whether a payment at <paramref name="paidAt"/> may use a coin of this keyset.</summary>
    /// <param name="paidAt">The payment instant.</param>
    /// <returns>True inside [withdraw_from, spend_until].</returns>
    public bool IsSpendable(DateTimeOffset paidAt) => paidAt >= WithdrawFrom && paidAt <= SpendUntil;

    /// <summary>Whether a deposit at <paramref name="now"/> is accepted.</summary>
    /// <param name="now">The instant to check.</param>
    /// <returns>True up to and including deposit_until.</returns>
    public bool IsDepositable(DateTimeOffset now) => now <= DepositUntil;

    /// <summary>Imports the RSA public key for the mode.</summary>
    /// <returns>The public key; the caller disposes it.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The key bytes are not an RSA SubjectPublicKeyInfo.</exception>
    public BlindRsaPublicKey ImportPublicKey() =>
        BlindRsaPublicKey.ImportSubjectPublicKeyInfo(_publicKey, Mode);

    /// <summary>The canonical encoding.</summary>
    /// <returns>A fresh copy of the bytes.</returns>
    public byte[] Encode() => (byte[])(_encoded ??= ProtocolCodec.Encode(Write)).Clone();

    /// <summary>Decodes a canonical encoding.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not a canonical descriptor.</exception>
    public static KeysetDescriptor Decode(ReadOnlySpan<byte> encoded) => ProtocolCodec.Decode(encoded, Read, "keyset descriptor");

    /// <summary>Decodes a canonical encoding without throwing.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <param name="descriptor">The descriptor, or null.</param>
    /// <returns>Whether the bytes were canonical.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out KeysetDescriptor? descriptor) =>
        ProtocolCodec.TryDecode(encoded, Read, "keyset descriptor", out descriptor);

    /// <inheritdoc/>
    public override string ToString() => $"Keyset({Id}, epoch={Epoch}, {Denomination}, {Fund}, {Mode})";

    internal void Write(ProtocolWriter w)
    {
        w.U8(Version);
        w.U32(Epoch);
        w.Amount(Denomination);
        w.Ascii(Fund);
        w.Time(WithdrawFrom);
        w.Time(WithdrawUntil);
        w.Time(SpendUntil);
        w.Time(DepositUntil);
        w.U8((byte)Mode); // PB/1 mode byte: the BlindRsaScheme value, 1 = RSABSSA, 2 = RSAPBSSA
        w.Opaque16(_publicKey);
    }

    internal static KeysetDescriptor Read(ref ProtocolReader r)
    {
        r.Version(Version, "keyset descriptor");
        uint epoch = r.U32("epoch");
        var denomination = r.Amount("denomination", positive: true);
        string fund = r.Ascii("fund");
        var from = r.Time("withdraw_from");
        var until = r.Time("withdraw_until");
        var spend = r.Time("spend_until");
        var deposit = r.Time("deposit_until");
        byte mode = r.U8("mode");
        if (mode is not ((byte)BlindRsaScheme.Rsabssa or (byte)BlindRsaScheme.Rsapbssa))
        {
            throw new ProtocolFormatException("Unknown keyset mode.");
        }

        var key = r.Opaque16("public_key", 1, MaxPublicKeyLength);
        return new KeysetDescriptor(epoch, denomination, fund, from, until, spend, deposit, (BlindRsaScheme)mode, key);
    }

    private static DateTimeOffset Seconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());
}
