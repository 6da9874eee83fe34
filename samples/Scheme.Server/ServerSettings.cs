using System.CommandLine;
using System.Globalization;

namespace Scheme.Server;

/// <summary>
/// Everything Scheme.Server is configured with, bound from the .NET configuration section <c>SchemeServer</c>.
/// Sources, each overriding the one before: <c>appsettings.json</c> beside the program, the file named by
/// <c>--config</c>, environment variables (<c>SchemeServer__Port=5081</c>, <c>SchemeServer__Witnesses__0=...</c>), and
/// the command line (<see cref="ServerCommandLine"/>).
/// </summary>
internal sealed class ServerSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "SchemeServer";

    /// <summary>The data directory (SQLite files, sealed keys, the sample's key files).</summary>
    public string? Data { get; set; }

    /// <summary>The loopback port.</summary>
    public int Port { get; set; } = 5080;

    /// <summary>Keep everything in memory instead of the data directory's files.</summary>
    public bool InMemory { get; set; }

    /// <summary>
    /// A PostgreSQL connection string: the ledger, the scheme state, the Merkle log and the sealed keyset keys all live in
    /// that database instead of the data directory, and the scheme's write lock is a PostgreSQL advisory lock, so several
    /// servers over one database are nodes of one scheme. The data directory then holds only the sample's key files.
    /// </summary>
    public string? Postgres { get; set; }

    /// <summary>Use the system clock (the default clock lets the operator move time forward, for the pilot).</summary>
    public bool SystemClock { get; set; }

    /// <summary>The log origin of checkpoints (default: the server's URL prefix without its scheme).</summary>
    public string? Origin { get; set; }

    /// <summary>The witnesses, each <c>&lt;vkey&gt;@&lt;submission prefix URL&gt;</c>.</summary>
    public List<string> Witnesses { get; set; } = [];

    /// <summary>Seconds between checkpoint submissions to the witnesses.</summary>
    public double WitnessInterval { get; set; } = 1;

    /// <summary>Seconds between periodic ledger checkpoints; 0 for none.</summary>
    public int LedgerCheckpointSeconds { get; set; }

    /// <summary>The withdrawal rate limit per account and minute; 0 for none.</summary>
    public int WithdrawalsPerMinute { get; set; } = 60;

    /// <summary>The operator key file (default: operator.key in the data directory).</summary>
    public string? OperatorKeyFile { get; set; }

    /// <summary>The key-encryption key file of the sealed keyset keys (default: keysets.kek in the data directory).</summary>
    public string? KekFile { get; set; }

    /// <summary>The Unix socket of a separate signing process, if the keys live there.</summary>
    public string? SignerSocket { get; set; }

    /// <summary>The OTLP endpoint for traces and metrics; none (the default) turns OpenTelemetry off.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>How long a shutdown waits for requests in flight to finish, in seconds.</summary>
    public int ShutdownSeconds { get; set; } = 30;

    /// <summary>Serve the OpenAPI description of the HTTP API at <c>/openapi/v1.json</c> (on by default).</summary>
    public bool OpenApi { get; set; } = true;

    /// <summary>The secrets given as configuration values instead of key files (never on the command line).</summary>
    public ServerSecrets Secrets { get; set; } = new();

    /// <summary>The data directory, absolute.</summary>
    public string DataDirectory => Path.GetFullPath(Data ?? Path.Combine(Environment.CurrentDirectory, "scheme-data"));

    /// <summary>Reads the settings from <paramref name="configuration"/>.</summary>
    public static ServerSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ServerSettings>() ?? new ServerSettings();

    /// <summary>What is wrong with the settings, or null.</summary>
    public string? Problem() =>
        Port is < 1 or > 65535 ? "the port is 1 to 65535"
        : Postgres is not null && InMemory ? "--postgres and --in-memory exclude each other"
        : Postgres is { Length: 0 } ? "the PostgreSQL connection string is empty"
        : !(WitnessInterval > 0) ? "the witness interval is a positive number of seconds"
        : LedgerCheckpointSeconds < 0 ? "the ledger checkpoint interval is 0 (off) or a positive number of seconds"
        : WithdrawalsPerMinute < 0 ? "the withdrawal rate is 0 (off) or a positive number per minute"
        : ShutdownSeconds < 0 ? "the shutdown timeout is 0 or more seconds"
        : OtlpEndpoint is { } otlp && !Uri.TryCreate(otlp, UriKind.Absolute, out _) ? "the OTLP endpoint is an absolute URL"
        : Secrets.Problem();
}

/// <summary>
/// Scheme.Server's command line, parsed with System.CommandLine: every option is a configuration key of
/// <see cref="ServerSettings"/>, layered over the files and the environment.
/// </summary>
internal static class ServerCommandLine
{
    private static readonly Option<string?> Config = new("--config") { Description = "A JSON configuration file (section \"SchemeServer\"), read after appsettings.json and before the environment." };
    private static readonly Option<string?> Data = new("--data") { Description = "The data directory (default ./scheme-data)." };
    private static readonly Option<int?> Port = new("--port") { Description = "The loopback port (default 5080)." };
    private static readonly Option<bool> InMemory = new("--in-memory") { Description = "Keep everything in memory." };
    private static readonly Option<string?> Postgres = new("--postgres") { Description = "Keep every store (ledger, scheme state, log, sealed keyset keys) in this PostgreSQL database; several servers over one database serve one scheme." };
    private static readonly Option<bool> SystemClock = new("--system-clock") { Description = "Use the system clock, not the operator-movable sample clock." };
    private static readonly Option<string?> Origin = new("--origin") { Description = "The log origin of checkpoints (docs/PROTOCOL.md 5.13)." };
    private static readonly Option<string[]> Witness = new("--witness") { Description = "A witness: '<cosignature/v1 vkey>@<submission prefix URL>'; repeat for each.", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<double?> WitnessInterval = new("--witness-interval") { Description = "Seconds between checkpoint submissions (default 1)." };
    private static readonly Option<int?> LedgerCheckpointSeconds = new("--ledger-checkpoint-seconds") { Description = "Seconds between ledger checkpoints (default 0: on the operator's call only)." };
    private static readonly Option<int?> WithdrawalsPerMinute = new("--withdrawals-per-minute") { Description = "Withdrawals per account and minute (default 60; 0: no limit)." };
    private static readonly Option<string?> OperatorKeyFile = new("--operator-key-file") { Description = "The operator key file (default <data>/operator.key)." };
    private static readonly Option<string?> KekFile = new("--kek-file") { Description = "The key-encryption key file of the sealed keyset keys (default <data>/keysets.kek)." };
    private static readonly Option<string?> SignerSocket = new("--signer-socket") { Description = "The Unix socket of a separate signing process (samples/Scheme.Signer)." };
    private static readonly Option<string?> OtlpEndpoint = new("--otlp-endpoint") { Description = "Export traces and metrics over OTLP to this URL (default: off)." };
    private static readonly Option<int?> ShutdownSeconds = new("--shutdown-seconds") { Description = "How long a shutdown waits for requests in flight (default 30)." };
    private static readonly Option<bool?> OpenApi = new("--openapi") { Description = "Serve the OpenAPI description at /openapi/v1.json (default true; --openapi false turns it off)." };

    /// <summary>
    /// Parses <paramref name="args"/>. Returns the configuration keys the command line sets and the <c>--config</c> file,
    /// or an exit code when the program should stop at once (0 after <c>--help</c>, 2 for a malformed command line).
    /// </summary>
    public static (Dictionary<string, string?> Overrides, string? ConfigFile, int? Exit) Parse(string[] args)
    {
        var root = new RootCommand("Scheme.Server: a PB/1 scheme over HTTP on 127.0.0.1 (SQLite by default).")
        {
            Config, Data, Port, InMemory, Postgres, SystemClock, Origin, Witness, WitnessInterval, LedgerCheckpointSeconds,
            WithdrawalsPerMinute, OperatorKeyFile, KekFile, SignerSocket, OtlpEndpoint, ShutdownSeconds, OpenApi,
        };
        ParseResult result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                Console.Error.WriteLine($"Scheme.Server: {error.Message}");
            }

            Console.Error.WriteLine("Run with --help for the options.");
            return ([], null, 2);
        }

        if (result.Action is not null)
        {
            // --help (or --version): let System.CommandLine print it.
            return ([], null, result.Invoke());
        }

        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        void Set<T>(Option<T> option, string key, Func<T, string?> text)
        {
            if (result.GetResult(option) is { Implicit: false } && result.GetValue(option) is { } value)
            {
                overrides[$"{ServerSettings.Section}:{key}"] = text(value);
            }
        }

        Set(Data, nameof(ServerSettings.Data), v => v);
        Set(Port, nameof(ServerSettings.Port), v => v?.ToString(CultureInfo.InvariantCulture));
        Set(InMemory, nameof(ServerSettings.InMemory), v => v ? "true" : "false");
        Set(Postgres, nameof(ServerSettings.Postgres), v => v);
        Set(SystemClock, nameof(ServerSettings.SystemClock), v => v ? "true" : "false");
        Set(Origin, nameof(ServerSettings.Origin), v => v);
        Set(WitnessInterval, nameof(ServerSettings.WitnessInterval), v => v?.ToString(CultureInfo.InvariantCulture));
        Set(LedgerCheckpointSeconds, nameof(ServerSettings.LedgerCheckpointSeconds), v => v?.ToString(CultureInfo.InvariantCulture));
        Set(WithdrawalsPerMinute, nameof(ServerSettings.WithdrawalsPerMinute), v => v?.ToString(CultureInfo.InvariantCulture));
        Set(OperatorKeyFile, nameof(ServerSettings.OperatorKeyFile), v => v);
        Set(KekFile, nameof(ServerSettings.KekFile), v => v);
        Set(SignerSocket, nameof(ServerSettings.SignerSocket), v => v);
        Set(OtlpEndpoint, nameof(ServerSettings.OtlpEndpoint), v => v);
        Set(ShutdownSeconds, nameof(ServerSettings.ShutdownSeconds), v => v?.ToString(CultureInfo.InvariantCulture));
        Set(OpenApi, nameof(ServerSettings.OpenApi), v => v is false ? "false" : "true");
        string[] witnesses = result.GetValue(Witness) ?? [];
        for (int i = 0; i < witnesses.Length; i++)
        {
            overrides[$"{ServerSettings.Section}:{nameof(ServerSettings.Witnesses)}:{i.ToString(CultureInfo.InvariantCulture)}"] = witnesses[i];
        }

        return (overrides, result.GetValue(Config), null);
    }
}
