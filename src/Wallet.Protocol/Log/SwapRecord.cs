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
        w.U16(Inputs.Length);
        foreach (var coin in Inputs)
        {
            coin.Write(w);
        }

        w.U16(Outputs.Length);
        foreach (var (keyset, count) in Outputs)
        {
            w.Fixed(keyset.Bytes);
            w.U16(count);
        }
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
        int n = r.Count("inputs", SwapRequest.MaxItems);
        if (n == 0)
        {
            throw new ProtocolFormatException("A swap record spends at least one coin.");
        }

        var inputs = new Coin[n];
        for (int i = 0; i < n; i++)
        {
            inputs[i] = Coin.Read(ref r);
        }

        int m = r.Count("outputs", SwapRequest.MaxItems);
        if (m == 0)
        {
            throw new ProtocolFormatException("A swap record issues at least one coin.");
        }

        var outputs = new (KeysetId, int)[m];
        for (int i = 0; i < m; i++)
        {
            outputs[i] = (r.Keyset("keyset_id"), r.U16("count"));
            if (outputs[i].Item2 is 0 or > SwapRequest.MaxItems)
            {
                throw new ProtocolFormatException("A swap output count is 1 to 256.");
            }

            if (i > 0 && outputs[i - 1].Item1.CompareTo(outputs[i].Item1) >= 0)
            {
                throw new ProtocolFormatException("Swap output keysets are not strictly ascending.");
            }
        }

        return new SwapRecord(at, recovery, inputs, outputs);
    }
}
