namespace Wallet.Protocol.Statements;

/// <summary>
/// The scheme's signed receipt for one contribution, for the worker credited: who paid, from which source, into which
/// fund, how much, on which day, and the journal entry that holds it.
/// </summary>
/// <remarks>
/// Signature domain "PB1/contribution-receipt" v1 over the body; docs/PROTOCOL.md 5.23. The scheme signs it when the
/// worker fetches it, from the stored record and the committed entry, so the same contribution always gives the same
/// bytes (Ed25519 is deterministic) and payroll never waits for a signature.
/// </remarks>
public sealed class ContributionReceipt : SignedProtocolMessage<ContributionReceipt>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly SignedMessageCodec<ContributionReceipt> Codec = RegisterSigned("contribution receipt", Version, "PB1/contribution-receipt", ReadFields, static (m, w) => m.WriteBody(w));

    private ContributionReceipt(ContributionRecord record, long ledgerSequence, byte[] signature)
        : base(signature)
    {
        (Record, LedgerSequence) = (record, ledgerSequence);
    }

    /// <summary>The contribution, as the scheme recorded it.</summary>
    public ContributionRecord Record { get; }

    /// <summary>The worker credited.</summary>
    public AccountId Worker => Record.Worker;

    /// <summary>The idempotency key of the contribution's journal entry.</summary>
    public IdempotencyKey LedgerKey => Record.LedgerKey;

    /// <summary>The source.</summary>
    public ContributionSource Source => Record.Source;

    /// <summary>Who paid, or null when the contribution named nobody.</summary>
    public AccountId? Contributor => Record.Contributor;

    /// <summary>The fund credited.</summary>
    public string Fund => Record.Fund;

    /// <summary>The amount.</summary>
    public Amount Amount => Record.Amount;

    /// <summary>The UTC day the scheme recorded the contribution.</summary>
    public DateTimeOffset RecordedAt => Record.RecordedAt;

    /// <summary>The sequence number of the contribution's journal entry.</summary>
    public long LedgerSequence { get; }

    /// <summary>Signs a receipt for a committed contribution.</summary>
    /// <param name="record">The record.</param>
    /// <param name="ledgerSequence">The sequence of its journal entry, from 1.</param>
    /// <param name="schemeKey">The scheme's key.</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ledgerSequence"/> is less than 1.</exception>
    public static ContributionReceipt Sign(ContributionRecord record, long ledgerSequence, Ed25519SigningKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(ledgerSequence, 1);
        var unsigned = new ContributionReceipt(record, ledgerSequence, []);
        return new ContributionReceipt(record, ledgerSequence, Codec.Sign(unsigned, schemeKey));
    }

    /// <summary>Checks the scheme's signature.</summary>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="schemeKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey schemeKey) => IsSignedBy(schemeKey ?? throw new ArgumentNullException(nameof(schemeKey)));

    /// <inheritdoc/>
    public override string ToString() => $"ContributionReceipt({Worker}, {LedgerKey}, {Source}, {Amount})";

    internal static void WriteLine(ProtocolWriter w, ContributionRecord record)
    {
        w.Ascii(record.LedgerKey.Value);
        w.U8((byte)record.Source);
        w.Flag(record.Contributor is not null);
        if (record.Contributor is not null)
        {
            w.Ascii(record.Contributor.Value);
        }

        w.Ascii(record.Fund);
        w.Amount(record.Amount);
        w.Time(record.RecordedAt);
    }

    internal static ContributionRecord ReadLine(ref ProtocolReader r, AccountId worker)
    {
        var key = new IdempotencyKey(r.Ascii("ledger_key"));
        byte source = r.U8("source");
        if (!Enum.IsDefined((ContributionSource)source))
        {
            throw new ProtocolFormatException("Unknown contribution source.");
        }

        var contributor = r.Flag("has_contributor") ? r.Account("contributor") : null;
        string fund = r.Ascii("fund");
        var amount = r.Amount("amount", positive: true);
        var day = r.Time("recorded_at");
        if (day != ContributionRecord.Coarse(day))
        {
            throw new ProtocolFormatException("Field 'recorded_at' is not a UTC midnight.");
        }

        return new ContributionRecord(key, worker, (ContributionSource)source, contributor, fund, amount, day);
    }

    private static ContributionReceipt ReadFields(ref ProtocolReader r)
    {
        var worker = r.Account("worker");
        var record = ReadLine(ref r, worker);
        long sequence = (long)r.U64("ledger_sequence");
        if (sequence < 1)
        {
            throw new ProtocolFormatException("Field 'ledger_sequence' is out of range.");
        }

        return new ContributionReceipt(record, sequence, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Worker.Value);
        WriteLine(w, Record);
        w.U64((ulong)LedgerSequence);
    }
}
