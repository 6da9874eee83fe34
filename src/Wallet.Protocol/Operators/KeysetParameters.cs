namespace Wallet.Protocol.Operators;

/// <summary>
/// What an operator asks for when a keyset is announced through <see cref="Roles.ISchemeOperator"/>: the
/// descriptor's fields without its public key. The scheme generates the RSA key itself and keeps it, so no private
/// key ever leaves the process that signs with it.
/// </summary>
/// <remarks>docs/PROTOCOL.md section 5.1 (keysets and rotation).</remarks>
public sealed record KeysetParameters
{
    /// <summary>The smallest RSA modulus the scheme generates.</summary>
    public const int MinModulusBits = 2048;

    /// <summary>The largest RSA modulus the scheme generates.</summary>
    public const int MaxModulusBits = 4096;

    /// <summary>Creates the parameters after validating them.</summary>
    /// <param name="epoch">The issuance epoch.</param>
    /// <param name="denomination">The value of every coin of the keyset; positive.</param>
    /// <param name="fund">The fund token.</param>
    /// <param name="withdrawFrom">Start of the withdrawal window.</param>
    /// <param name="withdrawUntil">End of the withdrawal window.</param>
    /// <param name="spendUntil">Last moment a payment request may be issued for a coin.</param>
    /// <param name="depositUntil">Last moment a coin may be deposited.</param>
    /// <param name="mode">The signing mode.</param>
    /// <param name="modulusBits">The RSA modulus size: 2048, 3072 or 4096.</param>
    /// <exception cref="ArgumentNullException"><paramref name="fund"/> is null.</exception>
    /// <exception cref="ArgumentException">The fund is not a token, or the windows are out of order.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The denomination is not positive, the mode is unknown, or the modulus size is not supported.</exception>
    public KeysetParameters(uint epoch, Amount denomination, string fund, DateTimeOffset withdrawFrom, DateTimeOffset withdrawUntil, DateTimeOffset spendUntil, DateTimeOffset depositUntil, BlindRsaScheme mode = BlindRsaScheme.Rsabssa, int modulusBits = MinModulusBits)
    {
        ArgumentNullException.ThrowIfNull(fund);
        if (denomination.MinorUnits <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(denomination), "The denomination is positive.");
        }

        if (mode is not (BlindRsaScheme.Rsabssa or BlindRsaScheme.Rsapbssa))
        {
            throw new ArgumentOutOfRangeException(nameof(mode));
        }

        if (modulusBits is not (2048 or 3072 or 4096))
        {
            throw new ArgumentOutOfRangeException(nameof(modulusBits), "The modulus has 2048, 3072 or 4096 bits.");
        }

        AsciiToken.Validate(fund, nameof(fund));
        if (withdrawFrom > withdrawUntil || withdrawUntil > spendUntil || spendUntil > depositUntil)
        {
            throw new ArgumentException("The windows satisfy withdraw_from <= withdraw_until <= spend_until <= deposit_until.", nameof(withdrawUntil));
        }

        (Epoch, Denomination, Fund) = (epoch, denomination, fund);
        WithdrawFrom = Seconds(withdrawFrom);
        WithdrawUntil = Seconds(withdrawUntil);
        SpendUntil = Seconds(spendUntil);
        DepositUntil = Seconds(depositUntil);
        Mode = mode;
        ModulusBits = modulusBits;
    }

    /// <summary>The issuance epoch.</summary>
    public uint Epoch { get; }

    /// <summary>The value of every coin of the keyset.</summary>
    public Amount Denomination { get; }

    /// <summary>The fund token.</summary>
    public string Fund { get; }

    /// <summary>Start of the withdrawal window (whole seconds, UTC).</summary>
    public DateTimeOffset WithdrawFrom { get; }

    /// <summary>End of the withdrawal window (whole seconds, UTC).</summary>
    public DateTimeOffset WithdrawUntil { get; }

    /// <summary>Last moment a payment request may be issued for a coin (whole seconds, UTC).</summary>
    public DateTimeOffset SpendUntil { get; }

    /// <summary>Last moment a coin may be deposited (whole seconds, UTC).</summary>
    public DateTimeOffset DepositUntil { get; }

    /// <summary>The signing mode.</summary>
    public BlindRsaScheme Mode { get; }

    /// <summary>The RSA modulus size in bits.</summary>
    public int ModulusBits { get; }

    /// <summary>The descriptor these parameters describe once the key exists.</summary>
    /// <param name="publicKey">The RSA public key as SubjectPublicKeyInfo DER.</param>
    /// <returns>The descriptor.</returns>
    /// <exception cref="ArgumentException">The key is empty or too long.</exception>
    public KeysetDescriptor Describe(ReadOnlySpan<byte> publicKey) =>
        new(Epoch, Denomination, Fund, WithdrawFrom, WithdrawUntil, SpendUntil, DepositUntil, Mode, publicKey);

    /// <summary>The parameters a descriptor was made from: to announce a logged keyset again with its key after a restart.</summary>
    /// <param name="descriptor">The descriptor.</param>
    /// <returns>The parameters, with the modulus size of the descriptor's public key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The descriptor's modulus size is not one the scheme supports.</exception>
    public static KeysetParameters Of(KeysetDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        using var publicKey = descriptor.ImportPublicKey();
        return new KeysetParameters(descriptor.Epoch, descriptor.Denomination, descriptor.Fund, descriptor.WithdrawFrom, descriptor.WithdrawUntil, descriptor.SpendUntil, descriptor.DepositUntil, descriptor.Mode, publicKey.ModulusBits);
    }

    // Descriptors keep whole seconds (PROTOCOL.md section 2), so equal parameters describe equal descriptors.
    private static DateTimeOffset Seconds(DateTimeOffset value) => DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());
}
