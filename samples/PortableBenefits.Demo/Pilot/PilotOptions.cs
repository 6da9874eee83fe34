using System.Globalization;

namespace PortableBenefits.Demo.Pilot;

/// <summary>The command line: pilot size, replay seed, where the data lives, or which scheme server to drive.</summary>
internal sealed record PilotOptions(int Workers, int Epochs, int Seed, string? DataDirectory, string? PostgresConnection, Uri? SchemeUrl = null, string? OperatorKeyFile = null, string? AccreditationKeyFile = null)
{
    /// <summary>Whether wallets and providers use the metadata defences (change ahead of need, scheduled deposits, spread-out sittings).</summary>
    public bool Defences { get; init; } = true;

    /// <summary>Where to write the research ground truth (one tab-separated line per event), or null.</summary>
    public string? GroundTruthFile { get; init; }

    /// <summary>The cosignature/v1 vkeys of the witnesses whose cosignatures wallets require (with --scheme-url), or empty.</summary>
    public IReadOnlyList<string> WitnessKeys { get; init; } = [];

    /// <summary>How many of <see cref="WitnessKeys"/> must cosign a checkpoint (default: all of them).</summary>
    public int? WitnessQuorum { get; init; }

    public const string Usage = """
        usage: PortableBenefits.Demo [--workers N] [--epochs N] [--seed N] [--data-dir PATH] [--postgres CONNECTION-STRING]
                                     [--defences on|off] [--ground-truth FILE]
                                     [--scheme-url URL [--operator-key-file PATH] [--accreditation-key-file PATH]
                                                   [--witness-key VKEY ... [--witness-quorum K]]]
          --workers    workers in the pilot (default 1000; 2000 takes about twice as long)
          --epochs     monthly epochs (default 3)
          --seed       seed of the simulated choices: who joins what, who spends where (default 2026)
          --data-dir   directory for the SQLite files (default: a new temporary directory, deleted at exit)
          --postgres   keep every store (ledger, scheme state, log) in this PostgreSQL database instead of SQLite files:
                       no directory and no local file; start from an empty database (or schema, via Search Path)
          --defences   on (default): each worker withdraws early in the month and pays each provider at its own later
                       time; the wallet keeps change ahead of need (its withdrawal's uniform split holds 2.00 in 1.00
                       coins, and PrepareChangeAhead tops that up right after the withdrawal and at one idle moment; an
                       immediate swap at payment time is a counted fallback); providers deposit on
                       ProviderDepositPolicy.Default (a batch of 16 payments or two days, then a random delay).
                       off: the naive behaviour a linkage attack exploits: each worker withdraws (plain uniform split)
                       and makes all its payments in one sitting, swaps for change at payment time, and providers
                       deposit each payment at once (ProviderDepositPolicy.Immediate).
          --ground-truth
                       write who did what to FILE, one tab-separated line per event (profile, pay, swap, restore-find,
                       restore-arespent; see README.md "Ground truth for linkage research"): the answer key for
                       researchers scoring linkage attacks on the scheme's stored data (keep it with --data-dir)
          --scheme-url drive a separately started samples/Scheme.Server at this URL (e.g. http://127.0.0.1:5080) instead of
                       a scheme in this process: the operator's calls (accounts, payroll, keysets, registry and table,
                       expiry, default allocation, ledger reads) go through the authenticated operator API
                       (HttpSchemeOperatorClient), every wallet, provider and auditor call through PB/1 HTTP
                       (HttpSchemeClient). The server must be fresh (an empty log) and keep its movable sample clock
                       (no --system-clock): the pilot moves it through the simulated months.
          --operator-key-file
                       the server's operator key (default ./scheme-data/operator.key, where Scheme.Server creates it)
          --accreditation-key-file
                       the seed of the accreditation body the server trusts, used to sign the registry and the
                       default-allocation table (default: accreditation.ed25519 next to the operator key file)
          --witness-key
                       (repeatable) the cosignature/v1 vkey of a witness the server sends its checkpoints to
                       (Witness.Server prints it): every wallet then trusts the log only through checkpoints that
                       --witness-quorum K of them (default: all) cosigned, and keeps evidence of any split view
                       (docs/PROTOCOL.md 5.13)
        """;

    public static PilotOptions? Parse(IReadOnlyList<string> args, TextWriter error)
    {
        var options = new PilotOptions(1000, 3, 2026, null, null);
        for (int i = 0; i < args.Count; i++)
        {
            string? Next() => i + 1 < args.Count ? args[++i] : null;
            int? Positive(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : null;
            switch (args[i])
            {
                case "--workers" when Positive(Next()) is { } n && n >= 20:
                    options = options with { Workers = n };
                    break;
                case "--epochs" when Positive(Next()) is { } n && n <= 24:
                    options = options with { Epochs = n };
                    break;
                case "--seed" when Positive(Next()) is { } n:
                    options = options with { Seed = n };
                    break;
                case "--data-dir" when Next() is { Length: > 0 } path:
                    options = options with { DataDirectory = path };
                    break;
                case "--postgres" when Next() is { Length: > 0 } connection:
                    options = options with { PostgresConnection = connection };
                    break;
                case "--scheme-url" when ServerRoot(Next()) is { } url:
                    options = options with { SchemeUrl = url };
                    break;
                case "--operator-key-file" when Next() is { Length: > 0 } path:
                    options = options with { OperatorKeyFile = path };
                    break;
                case "--accreditation-key-file" when Next() is { Length: > 0 } path:
                    options = options with { AccreditationKeyFile = path };
                    break;
                case "--defences" when Next() is "on" or "off":
                    options = options with { Defences = args[i] == "on" };
                    break;
                case "--witness-key" when Next() is { Length: > 0 } vkey:
                    options = options with { WitnessKeys = [.. options.WitnessKeys, vkey] };
                    break;
                case "--witness-quorum" when Positive(Next()) is { } k:
                    options = options with { WitnessQuorum = k };
                    break;
                case "--ground-truth" when Next() is { Length: > 0 } path:
                    options = options with { GroundTruthFile = Path.GetFullPath(path) };
                    break;
                default:
                    error.WriteLine($"unrecognised or invalid option '{args[i]}' (workers: 20 or more; epochs: 1 to 24; seed: a positive integer; scheme-url: an http or https URL; defences: on or off)");
                    error.WriteLine(Usage);
                    return null;
            }
        }

        if (options.SchemeUrl is null ? options.OperatorKeyFile is not null || options.AccreditationKeyFile is not null : options.DataDirectory is not null || options.PostgresConnection is not null)
        {
            error.WriteLine("--operator-key-file and --accreditation-key-file go with --scheme-url; --data-dir and --postgres without it (the server keeps its own stores)");
            return null;
        }

        if (options.DataDirectory is not null && options.PostgresConnection is not null)
        {
            error.WriteLine("--data-dir and --postgres exclude each other (with --postgres every store is in the database)");
            return null;
        }

        if (options.SchemeUrl is null && (options.WitnessKeys.Count > 0 || options.WitnessQuorum is not null))
        {
            error.WriteLine("--witness-key and --witness-quorum go with --scheme-url (the server sends its checkpoints to the witnesses)");
            return null;
        }

        if (options.SchemeUrl is not null)
        {
            string keyFile = Path.GetFullPath(options.OperatorKeyFile ?? Path.Combine("scheme-data", "operator.key"));
            options = options with { OperatorKeyFile = keyFile, AccreditationKeyFile = Path.GetFullPath(options.AccreditationKeyFile ?? Path.Combine(Path.GetDirectoryName(keyFile)!, "accreditation.ed25519")) };
        }

        return options;
    }

    /// <summary>The server's root from a URL given with or without the /pb1 prefix.</summary>
    private static Uri? ServerRoot(string? text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || url.Query.Length > 0)
        {
            return null;
        }

        string path = url.AbsolutePath.TrimEnd('/');
        path = path.EndsWith("/pb1", StringComparison.Ordinal) ? path[..^4] : path;
        return new Uri(url, path + "/");
    }
}
