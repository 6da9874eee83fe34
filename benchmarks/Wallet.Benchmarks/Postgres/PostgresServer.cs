using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Wallet.Benchmarks.Postgres;

/// <summary>
/// A throw-away PostgreSQL server for tests and quick benchmarks: <c>initdb</c> into a temporary directory,
/// a free port on 127.0.0.1, started and stopped with <c>pg_ctl</c>, run as a non-root user when the caller is
/// root (PostgreSQL refuses to run as root). Setting <see cref="ExternalVariable"/> to a connection string
/// uses that server instead. Linked as source into the test project so both start the server the same way.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>An Npgsql connection string for an existing server (a superuser or a role that may create schemas).</summary>
    public const string ExternalVariable = "WALLETCORE_TEST_POSTGRES";

    /// <summary>Overrides the directory holding initdb, pg_ctl and postgres.</summary>
    public const string BinVariable = "WALLETCORE_POSTGRES_BIN";

    /// <summary>Overrides the non-root account the server runs as when the caller is root.</summary>
    public const string UserVariable = "WALLETCORE_POSTGRES_USER";

    private const string DefaultUser = "walletcore-pg";

    private readonly string? _directory;
    private readonly string? _bin;
    private readonly string? _runAs;

    private PostgresServer(string adminConnectionString, string? directory, string? bin, string? runAs)
    {
        AdminConnectionString = adminConnectionString;
        _directory = directory;
        _bin = bin;
        _runAs = runAs;
    }

    /// <summary>A superuser connection string to the <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Whether the server came from <see cref="ExternalVariable"/> (and so cannot be restarted or stopped here).</summary>
    public bool IsExternal => _directory is null;

    /// <summary>The server's log file, for failure messages.</summary>
    public string? LogFile => _directory is null ? null : Path.Combine(_directory, "server.log");

    /// <summary>
    /// Starts a server, or connects to the one named by <see cref="ExternalVariable"/>.
    /// <paramref name="durable"/> keeps fsync and synchronous commit on (benchmarks); tests turn them off.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(bool durable)
    {
        string? external = Environment.GetEnvironmentVariable(ExternalVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            var server = new PostgresServer(external, null, null, null);
            await server.PingAsync().ConfigureAwait(false);
            return server;
        }

        string bin = FindBin();
        string? runAs = Environment.UserName == "root" ? FindUser() : null;
        string directory = Directory.CreateTempSubdirectory("walletcore-pg-").FullName;
        var started = new PostgresServer(ConnectionString(FreePort()), directory, bin, runAs);
        try
        {
            if (runAs is not null)
            {
                await RunAsync("chown", ["-R", runAs, directory]).ConfigureAwait(false);
            }

            await started.RunToolAsync("initdb", ["-D", started.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]).ConfigureAwait(false);
            var settings = new List<string>
            {
                "-c listen_addresses=127.0.0.1",
                "-p " + new NpgsqlConnectionStringBuilder(started.AdminConnectionString).Port.ToString(CultureInfo.InvariantCulture),
                "-k " + directory,
                "-c max_connections=200",
                "-c shared_buffers=256MB",
            };
            if (!durable)
            {
                settings.Add("-c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            }

            await started.RunToolAsync("pg_ctl", ["-D", started.DataDirectory, "-l", started.LogFile!, "-w", "-t", "60", "-o", string.Join(' ', settings), "start"]).ConfigureAwait(false);
            await started.PingAsync().ConfigureAwait(false);
            return started;
        }
        catch
        {
            await started.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates a new empty schema and returns a connection string whose search path selects it.</summary>
    public async Task<string> CreateSchemaAsync(string prefix)
    {
        string schema = $"{prefix}_{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var create = new NpgsqlCommand($"CREATE SCHEMA \"{schema}\"", connection);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { SearchPath = schema }.ConnectionString;
    }

    /// <summary>Restarts the server (fast shutdown: open sessions are terminated, their transactions rolled back).</summary>
    public async Task RestartAsync()
    {
        if (IsExternal)
        {
            throw new InvalidOperationException($"Restarting needs a server started by the tests; unset {ExternalVariable}.");
        }

        await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile!, "-w", "-t", "60", "-m", "fast", "restart"]).ConfigureAwait(false);

        // Idle pooled connections were terminated with the old server; without this the next user of the pool (for
        // example the next test creating its schema) gets one of them and fails with 57P01.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Stops the server immediately and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_directory is null)
        {
            return;
        }

        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await RunToolAsync("pg_ctl", ["-D", DataDirectory, "-w", "-t", "30", "-m", "immediate", "stop"]).ConfigureAwait(false);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS temp cleaner.
            }
        }
    }

    private string DataDirectory => Path.Combine(_directory!, "data");

    private async Task PingAsync()
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments)
    {
        string path = Path.Combine(_bin!, tool);
        return _runAs is null ? RunAsync(path, arguments) : RunAsync("runuser", ["-u", _runAs, "--", path, .. arguments]);
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error.ConfigureAwait(false)} {await output.ConfigureAwait(false)}");
        }
    }

    private static string FindBin()
    {
        string? configured = Environment.GetEnvironmentVariable(BinVariable);
        IEnumerable<string> candidates = configured is not null
            ? [configured]
            : ["/usr/lib/postgresql/15/bin", .. Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderDescending().ToArray() : []];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                $"No PostgreSQL server binaries (initdb, pg_ctl) found in /usr/lib/postgresql/*/bin. Run .ci/postgres-setup (Debian: apt-get install postgresql-15), set {BinVariable}, or set {ExternalVariable} to a connection string.");
    }

    private static string FindUser()
    {
        string? configured = Environment.GetEnvironmentVariable(UserVariable);
        foreach (string candidate in configured is not null ? [configured] : new[] { DefaultUser, "postgres" })
        {
            if (File.ReadLines("/etc/passwd").Any(line => line.StartsWith(candidate + ":", StringComparison.Ordinal)))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"Running as root, and no non-root account '{DefaultUser}' or 'postgres' exists to run PostgreSQL. Run .ci/postgres-setup or set {UserVariable}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string ConnectionString(int port) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = "postgres",
        Database = "postgres",
        Timeout = 30,
        CommandTimeout = 120,
        MaxPoolSize = 100,
    }.ConnectionString;
}
