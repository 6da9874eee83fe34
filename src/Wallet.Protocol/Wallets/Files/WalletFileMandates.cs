namespace Wallet.Protocol.Wallets.Files;

/// <summary>The dues mandates section of the wallet state (version 6, docs/PROTOCOL.md 5.19 and 8.1).</summary>
internal static class WalletFileMandates
{
    // u32 mandate_count; per mandate, ascending by id: opaque mandate<1..65535>; u8 cancelled; u32 paid_count;
    // (u32 period; u8 payment_id[32])[paid_count], ascending by period; u32 short_count; u32 period[short_count], ascending.
    public static void Write(ProtocolWriter w, WalletState state)
    {
        var mandates = state.Mandates.Values.OrderBy(m => m.Mandate.Id).ToList();
        w.U32((uint)mandates.Count);
        foreach (var record in mandates)
        {
            w.Opaque16(record.Mandate.Encode());
            w.Flag(record.Cancelled);
            w.U32((uint)record.Payments.Count);
            foreach (var (period, payment) in record.Payments)
            {
                w.U32(period);
                w.Fixed(payment.Bytes);
            }

            w.U32((uint)record.Short.Count);
            foreach (uint period in record.Short)
            {
                w.U32(period);
            }
        }
    }

    public static void Read(ref ProtocolReader r, WalletFileImage image)
    {
        int count = WalletFileCodec.Count32(ref r, "mandates");
        for (int i = 0; i < count; i++)
        {
            var record = new MandateRecord(DuesMandate.Decode(r.Opaque16("mandate", 1)));
            if (i > 0 && image.Mandates[^1].Mandate.Id.CompareTo(record.Mandate.Id) >= 0)
            {
                throw new ProtocolFormatException("Field 'mandates' is not strictly ascending.");
            }

            record.Cancelled = r.Flag("cancelled");
            int paid = WalletFileCodec.Count32(ref r, "paid_periods");
            for (int j = 0; j < paid; j++)
            {
                uint period = r.U32("period");
                var payment = new PaymentId(r.Fixed(PaymentId.Length, "payment_id"));
                if (!record.Mandate.Covers(period) || (j > 0 && record.Payments.Keys.Max() >= period))
                {
                    throw new ProtocolFormatException("Field 'paid_periods' is not strictly ascending or names a period the mandate does not cover.");
                }

                record.Payments[period] = payment;
            }

            int shortCount = WalletFileCodec.Count32(ref r, "short_periods");
            for (int j = 0; j < shortCount; j++)
            {
                uint period = r.U32("period");
                if (!record.Mandate.Covers(period) || (j > 0 && record.Short.Max >= period))
                {
                    throw new ProtocolFormatException("Field 'short_periods' is not strictly ascending or names a period the mandate does not cover.");
                }

                record.Short.Add(period);
            }

            image.Mandates.Add(record);
        }
    }
}
