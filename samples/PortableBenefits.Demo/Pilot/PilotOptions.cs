using System.Globalization;
using PortableBenefits.Demo.Http;

namespace PortableBenefits.Demo.Pilot;

/// <summary>The command line: pilot size, replay seed, where the data lives.</summary>
internal sealed record PilotOptions(int Workers, int Epochs, int Seed, string? DataDirectory, string? PostgresConnection, Uri? SchemeUrl = null)
{
    public const string Usage = """
        usage: PortableBenefits.Demo [--workers N] [--epochs N] [--seed N] [--data-dir PATH] [--postgres CONNECTION-STRING] [--scheme-url URL]
          --workers    workers in the pilot (default 1000; 2000 takes about twice as long)
          --epochs     monthly epochs (default 3)
          --seed       seed of the simulated choices: who joins what, who spends where (default 2026)
          --data-dir   directory for the SQLite files (default: a new temporary directory, deleted at exit)
          --postgres   keep the ledger in PostgreSQL instead of SQLite (scheme state and log stay in SQLite files)
          --scheme-url serve the pilot's scheme over PB/1 HTTP at this loopback URL (http://127.0.0.1:0 picks a free
                       port) and send every wallet, provider and auditor call through HttpSchemeClient to it. The
                       operator's calls (payroll, keyset announcements, expiry, default allocation, account statements)
                       stay in process: PB/1 over HTTP has no operator endpoints, and samples/Scheme.Server exposes none,
                       so the pilot cannot drive an external server; it hosts its own scheme behind Kestrel instead.
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
                case "--scheme-url" when LoopbackSchemeFront.ParseListenUrl(Next()) is { } url:
                    options = options with { SchemeUrl = url };
                    break;
                default:
                    error.WriteLine($"unrecognised or invalid option '{args[i]}' (workers: 20 or more; epochs: 1 to 24; seed: a positive integer; scheme-url: http on a loopback address)");
                    error.WriteLine(Usage);
                    return null;
            }
        }

        return options;
    }
}
