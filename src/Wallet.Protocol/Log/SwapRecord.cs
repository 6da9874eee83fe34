namespace Wallet.Protocol.Log;

/// <summary>
/// The public record of one honoured swap or recovery: the coins spent and, per keyset, how many coins were issued.
/// No account, no request: an auditor counts the inputs as spent and the outputs as issued in its per-keyset
/// conservation checks, and checks that each fund's value in equals value out.
/// </summary>
/// <remarks>docs/PROTOCOL.md sections 3 and 5.10.</remarks>
public sealed class SwapRecord
{
    /// <summary>Creates a record.</summary>
    /// <param name="swappedAt">The time.</param>
    /// <param name="isRecovery">Whether this is a recovery of coins of a revoked keyset rather than a swap.</param>
    /// <param name="inputs">1 to 256 coins spent.</param>
    /// <param name="outputs">Coins issued per keyset; 1 to 256 distinct keysets, counts 1 to 256.</param>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentException">A list is empty or too long, repeats a keyset, or has a count out of range.</exception>
    public SwapRecord(DateTimeOffset swappedAt, bool isRecovery, IReadOnlyList<Coin> inputs, IReadOnlyList<(KeysetId Keyset, int Count)> outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Count is 0 or > SwapRequest.MaxItems)
        {
            throw new ArgumentException("1 to 256 input coins.", nameof(inputs));
        }

        if (outputs.Count is 0 or > SwapRequest.MaxItems || outputs.Any(c => c.Count is <= 0 or > SwapRequest.MaxItems) || outputs.Select(c => c.Keyset).Distinct().Count() != outputs.Count)
        {
            throw new ArgumentException("1 to 256 distinct keysets with counts 1 to 256.", nameof(outputs));
        }

        SwappedAt = DateTimeOffset.FromUnixTimeSeconds(swappedAt.ToUnixTimeSeconds());
        IsRecovery = isRecovery;
        Inputs = [.. inputs];
        Outputs = [.. outputs.OrderBy(c => c.Keyset)];
    }

    /// <summary>The time.</summary>
    public DateTimeOffset SwappedAt { get; }

    /// <summary>Whether this is a recovery of coins of a revoked keyset.</summary>
    public bool IsRecovery { get; }

    /// <summary>The coins spent, in request order.</summary>
    public ImmutableArray<Coin> Inputs { get; }

    /// <summary>Coins issued per keyset, ordered by keyset id.</summary>
    public ImmutableArray<(KeysetId Keyset, int Count)> Outputs { get; }

    internal void Write(ProtocolWriter w)
    {
        w.Time(SwappedAt);
        w.U8(IsRecovery ? (byte)2 : (byte)1);
        w.List(Inputs, static (coin, w) => coin.Write(w));

        w.List(Outputs, IssuanceRecord.WriteCount);
    }

    internal static SwapRecord Read(ref ProtocolReader r)
    {
        var at = r.Time("swapped_at");
        bool recovery = r.U8("reason") switch
        {
            1 => false,
            2 => true,
            _ => throw new ProtocolFormatException("Unknown swap reason."),
        };
        var inputs = r.List("inputs", SwapRequest.MaxItems, Coin.Read, "A swap record spends at least one coin.");
        var outputs = r.List("outputs", SwapRequest.MaxItems, IssuanceRecord.ReadCount, "A swap record issues at least one coin.");
        if (outputs.Any(o => o.Count is 0 or > SwapRequest.MaxItems))
        {
            throw new ProtocolFormatException("A swap output count is 1 to 256.");
        }

        ProtocolCodec.RequireAscending(outputs, static (a, b) => a.Keyset.CompareTo(b.Keyset), "Swap output keysets are not strictly ascending.");
        return new SwapRecord(at, recovery, inputs, outputs);
    }
}
