namespace Wallet.Protocol.Log;

/// <summary>The public record that a keyset closed after its deposit window, with the unspent value it took to the expired account.</summary>
/// <param name="Keyset">The keyset.</param>
/// <param name="ExpiredAt">When it was closed.</param>
/// <param name="Value">The outstanding value moved to the expired account.</param>
public sealed record ExpiryRecord(KeysetId Keyset, DateTimeOffset ExpiredAt, Amount Value)
{
    internal void Write(ProtocolWriter w)
    {
        w.Fixed(Keyset.Bytes);
        w.Time(ExpiredAt);
        w.Amount(Value);
    }

    internal static ExpiryRecord Read(ref ProtocolReader r)
    {
        var keyset = r.Keyset("keyset_id");
        var at = r.Time("expired_at");
        return new ExpiryRecord(keyset, at, r.Amount("value"));
    }
}
