namespace Wallet.Protocol.AspNetCore.Json;

/// <summary>
/// JSON views for people reading the directory, registries and tree heads. They are informative only: anything that
/// checks a signature uses the binary encodings, which are the signed bytes.
/// </summary>
internal static class JsonViews
{
    public static byte[] Keysets(IReadOnlyList<PublishedKeyset> keysets) => Write(json =>
    {
        json.WriteStartArray();
        foreach (var k in keysets)
        {
            var d = k.Announcement.Descriptor;
            json.WriteStartObject();
            json.WriteString("id", d.Id.ToString());
            json.WriteNumber("epoch", d.Epoch);
            json.WriteNumber("denomination", d.Denomination.MinorUnits);
            json.WriteString("fund", d.Fund);
            json.WriteString("withdrawFrom", Time(d.WithdrawFrom));
            json.WriteString("withdrawUntil", Time(d.WithdrawUntil));
            json.WriteString("spendUntil", Time(d.SpendUntil));
            json.WriteString("depositUntil", Time(d.DepositUntil));
            json.WriteString("mode", d.Mode == BlindRsaScheme.Rsabssa ? "RsaBlind" : "RsaPartiallyBlind"); // the view's names predate BlindRsaScheme
            json.WriteBase64String("publicKey", d.PublicKey);
            json.WriteNumber("logIndex", k.LogIndex);
            json.WriteBoolean("revoked", k.Revoked);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    public static byte[] Registries(IReadOnlyList<AccreditationRegistry> registries) => Write(json =>
    {
        json.WriteStartArray();
        foreach (var r in registries)
        {
            json.WriteStartObject();
            json.WriteNumber("version", r.Version);
            json.WriteString("issuedAt", Time(r.IssuedAt));
            json.WriteStartArray("providers");
            foreach (var p in r.Providers)
            {
                json.WriteStartObject();
                json.WriteString("id", p.Id.Value);
                json.WriteString("name", p.Name);
                json.WriteStartArray("categories");
                foreach (var c in p.Categories)
                {
                    json.WriteStringValue(c);
                }

                json.WriteEndArray();
                json.WriteString("receiptKey", p.ReceiptKey.ToString());
                json.WriteString("validFrom", Time(p.ValidFrom));
                json.WriteString("validUntil", Time(p.ValidUntil));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    public static byte[] TreeHead(SignedTreeHead head) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("treeSize", head.TreeSize);
        json.WriteString("rootHash", Convert.ToHexStringLower(head.RootHash.ToArray()));
        json.WriteString("timestamp", Time(head.Timestamp));
        json.WriteString("logId", Convert.ToHexStringLower(head.LogId.ToArray()));
        json.WriteString("signature", Convert.ToHexStringLower(head.Signature.Span));
        json.WriteEndObject();
    });

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(json);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
