namespace Wallet.Protocol.Binding;

// The default-allocation round (docs/PROTOCOL.md 5.8, 5.24): version 1 with one (sector, region) per account, version 2
// with each account's list of jobs.
public static partial class OperatorEnvelopes
{
    /// <summary>
    /// Encodes a default-allocation round: its name and the accounts with their jobs. A round whose every profile is one
    /// job of weight 1 keeps the version 1 layout (account, sector, region); otherwise version 2 carries each profile's
    /// jobs (docs/PROTOCOL.md 5.24).
    /// </summary>
    /// <param name="round">The round name (printable ASCII).</param>
    /// <param name="workers">The accounts of the round.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeAllocationRound(string round, IReadOnlyList<DefaultAllocationInput> workers)
    {
        bool severalJobs = workers.Any(w => w.Jobs.Length > 1 || w.Jobs[0].Weight != 1);
        var w = new ProtocolWriter(16 + (workers.Count * 40));
        w.U8(severalJobs ? AllocationRoundJobsVersion : PbEnvelopes.Version);
        w.Ascii(round);
        w.U32(checked((uint)workers.Count));
        foreach (var worker in workers)
        {
            w.Ascii(worker.Account.Value);
            if (!severalJobs)
            {
                w.Ascii(worker.Sector);
                w.Ascii(worker.Region);
                continue;
            }

            w.U8((byte)worker.Jobs.Length);
            foreach (var job in worker.Jobs)
            {
                w.Ascii(job.Sector);
                w.Ascii(job.Region);
                w.U32(job.Weight);
            }
        }

        return w.ToArray();
    }

    /// <summary>Decodes a default-allocation round (version 1 or 2): its name and the accounts with their jobs.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static (string Round, DefaultAllocationInput[] Workers) DecodeAllocationRound(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        byte version = r.Version(PbEnvelopes.Version, AllocationRoundJobsVersion, "allocation round");
        string round = r.Ascii("round", 1, byte.MaxValue);
        uint count = r.U32("accounts");

        // Each account takes at least 6 bytes, so a count the body cannot hold is refused before allocating for it.
        if (count > MaxRoundAccounts || count > (uint)r.Remaining / 6)
        {
            throw new ProtocolFormatException("Too many accounts.");
        }

        var workers = new DefaultAllocationInput[count];
        for (int i = 0; i < workers.Length; i++)
        {
            var account = new AccountId(r.Ascii("account", 1, byte.MaxValue));
            workers[i] = version == PbEnvelopes.Version
                ? new DefaultAllocationInput(account, r.Ascii("sector", 1, byte.MaxValue), r.Ascii("region", 1, byte.MaxValue))
                : ReadProfile(ref r, account);
        }

        return (round, workers);
    }, "allocation round");

    /// <summary>The allocation round's layout with a list of jobs per account (docs/PROTOCOL.md 5.24).</summary>
    public const byte AllocationRoundJobsVersion = 2;

    // Jobs in canonical order, each (sector, region) once, weights 1..MaxWeight: anything else is a format error.
    private static DefaultAllocationInput ReadProfile(ref ProtocolReader r, AccountId account)
    {
        byte count = r.U8("jobs");
        if (count is 0 or > DefaultAllocationInput.MaxJobs)
        {
            throw new ProtocolFormatException($"A profile holds 1 to {DefaultAllocationInput.MaxJobs} jobs.");
        }

        var jobs = new DefaultAllocationJob[count];
        for (int j = 0; j < count; j++)
        {
            string sector = r.Ascii("sector");
            string region = r.Ascii("region");
            uint weight = r.U32("weight");
            if (weight is 0 or > DefaultAllocationJob.MaxWeight)
            {
                throw new ProtocolFormatException($"A job's weight is 1 to {DefaultAllocationJob.MaxWeight}.");
            }

            jobs[j] = new DefaultAllocationJob(sector, region, weight);
        }

        for (int j = 1; j < count; j++)
        {
            int order = string.CompareOrdinal(jobs[j - 1].Sector, jobs[j].Sector);
            if (order > 0 || (order == 0 && string.CompareOrdinal(jobs[j - 1].Region, jobs[j].Region) >= 0))
            {
                throw new ProtocolFormatException("A profile's jobs are not in canonical order.");
            }
        }

        return new DefaultAllocationInput(account, jobs);
    }
}
