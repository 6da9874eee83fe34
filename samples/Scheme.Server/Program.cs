// PB/1 scheme over HTTP on 127.0.0.1, SQLite by default.
//   dotnet run --project samples/Scheme.Server [-- --data ./scheme-data --port 5080 --in-memory --postgres CONNECTION
//                                               --operator-key-file PATH --kek-file PATH --system-clock
//                                               --withdrawals-per-minute 60 --signer-socket PATH --origin ORIGIN
//                                               --witness '<witness vkey>@<url>' ... --witness-interval 1
//                                               --ledger-checkpoint-seconds 0 --otlp-endpoint URL
//                                               --shutdown-seconds 30 --config FILE]   (--help lists them)
// Every option is also a .NET configuration key of the section "SchemeServer" (ServerSettings.cs): appsettings.json
// beside the program, then --config FILE, then the environment (SchemeServer__Port=5081), then the command line,
// each overriding the one before. /healthz/live and /healthz/ready are the probes (ready: the stores answer and every
// withdrawable keyset has its signing key); --otlp-endpoint turns on OpenTelemetry traces and metrics over OTLP; on
// SIGTERM requests in flight finish (up to --shutdown-seconds) before the stores close; /openapi/v1.json describes the
// HTTP API (--openapi false turns it off). docs/operations.md.
// With --postgres CONNECTION every store lives in that PostgreSQL database (ledger, scheme state, Merkle log, keyset keys
// sealed under the --kek-file key) and the scheme's write lock is an advisory lock there: start several servers on one
// database, each with the same key files (--data) and its own --port, and they are nodes of one scheme (docs/scaling.md
// "Several nodes"). The data directory then holds only the key files, no database; with every secret given in the
// configuration instead (SchemeServer__Secrets__SchemeKey, ...AccreditationKey, ...PrivacyPassKey, ...OperatorKey,
// ...KeyEncryptionKey: ServerSecrets.cs, docs/operations.md "Secrets") no directory is created and no file written.
// Serves /pb1/* (docs/http.md), the operator API under /pb1/operator/* (authenticated by the operator key) and a
// Privacy Pass type 2 issuer (/.well-known/private-token-issuer-directory, /token-request). The operator announces
// keysets; the server generates their RSA keys and keeps them sealed in <data>/keysets under a key-encryption key
// (--kek-file, 32 random bytes, created when absent; keep it apart from the data in production), and loads them at
// start-up, refusing to start when a withdrawable keyset's key is missing. With --signer-socket PATH the keys live in
// a separate signing process instead (samples/Scheme.Signer, docs/PROTOCOL.md 8.2): it generates and keeps them and
// signs over that Unix domain socket; the server refuses to start while it is unreachable. Withdrawals are rate limited per account
// (--withdrawals-per-minute, a token bucket: that many at once, refilled evenly over a minute; 0 turns it off). The data directory is 0700 and its files
// 0600 whatever the umask. The log is also served as a C2SP tiled log (/pb1/checkpoint, /pb1/tile/...) whose checkpoints
// carry --origin (default: the server's URL prefix without its scheme, 127.0.0.1:<port>/pb1; docs/PROTOCOL.md 5.13). The scheme, accreditation, Privacy Pass and operator keys are plain files in it: fine for
// a sample, not for production (use SealedFile or an HSM there, and serve the operator prefix on a separate listener
// or behind mTLS). With --ledger-checkpoint-seconds N (default 0, off) the server logs a ledger checkpoint every N
// seconds (docs/PROTOCOL.md 5.15); the operator can also log one at any time (POST /pb1/operator/ledger-checkpoints).
// Each --witness (repeatable) is a C2SP tlog-witness: its cosignature/v1 vkey, '@', and its submission prefix URL
// (Witness.Server's --urls); quote it, the vkey holds '+' and '/'. Every --witness-interval seconds (default 1) the
// server sends a grown log's checkpoint to every witness at once (and retries those that did not answer), and
// /pb1/checkpoint serves the newest checkpoint with the cosignatures collected (docs/PROTOCOL.md 5.16).
using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Scheme.Server;
using Scheme.Server.FaultInjection;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.AspNetCore.PrivacyPass;
using Wallet.Protocol.Checkpoints;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Keysets.Remote;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Postgres;
using Wallet.Storage.Postgres.Keysets;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Locks;
using Wallet.Storage.Sqlite;

var (overrides, configFile, exit) = ServerCommandLine.Parse(args);
if (exit is { } exitCode)
{
    return exitCode;
}

// Configuration: appsettings.json beside the program, then --config, then the environment (SchemeServer__Port=...),
// then the command line; the host's own settings (ASPNETCORE_*, Logging) come through the same sources.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.Sources.Clear();
builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
if (configFile is not null)
{
    if (!File.Exists(configFile))
    {
        Console.Error.WriteLine($"refusing to start: the configuration file {configFile} does not exist");
        return 2;
    }

    builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
}

builder.Configuration.AddEnvironmentVariables();
builder.Configuration.AddInMemoryCollection(overrides);
ServerSettings settings;
try
{
    settings = ServerSettings.From(builder.Configuration);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"refusing to start: the configuration does not bind ({e.Message})");
    return 2;
}

if (settings.Problem() is { } problem)
{
    Console.Error.WriteLine($"refusing to start: {problem}");
    return 2;
}

using var witnessHttp = new HttpClient();
string data = settings.DataDirectory;
int port = settings.Port;
bool inMemory = settings.InMemory;
bool systemClock = settings.SystemClock;
string origin = settings.Origin ?? LogOrigin.FromPrefix(new Uri($"http://127.0.0.1:{port}{SchemeRoutes.DefaultPrefix}"));
if (!LogOrigin.IsValid(origin))
{
    Console.Error.WriteLine("refusing to start: --origin is a schema-less URL of printable ASCII with no space, '+' or trailing slash (docs/PROTOCOL.md 5.13)");
    return 1;
}

CheckpointWitness[] witnesses;
try
{
    witnesses = [.. settings.Witnesses.Select(WitnessOption)];
    if (witnesses.DistinctBy(w => w.Verifier).Count() != witnesses.Length)
    {
        throw new ArgumentException("a --witness is given twice.");
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"refusing to start: {e.Message}");
    return 1;
}

double witnessInterval = settings.WitnessInterval;
int ledgerCheckpointSeconds = settings.LedgerCheckpointSeconds;
int withdrawalsPerMinute = settings.WithdrawalsPerMinute;
ServerSecrets secrets = settings.Secrets;
// With every store in PostgreSQL and every secret from the configuration, nothing is kept on this machine.
bool keyFiles = settings.Postgres is null || !secrets.All;
if (keyFiles)
{
    OwnerOnlyDirectory(data);
}

string operatorKeyFile = Path.GetFullPath(settings.OperatorKeyFile ?? Path.Combine(data, "operator.key"));
string kekFile = Path.GetFullPath(settings.KekFile ?? Path.Combine(data, "keysets.kek"));
string? signerSocket = settings.SignerSocket is { } socketOption ? Path.GetFullPath(socketOption) : null;

var clock = new SampleClock();
TimeProvider time = systemClock ? TimeProvider.System : clock;
using var schemeKey = secrets.SchemeKey is { } schemeSeed ? ServerSecrets.WithDecoded(schemeSeed, seed => Ed25519SigningKey.FromSeed(seed)) : Ed25519Seed(Path.Combine(data, "scheme.ed25519"));
using var accreditationKey = secrets.AccreditationKey is { } accreditationSeed ? ServerSecrets.WithDecoded(accreditationSeed, seed => Ed25519SigningKey.FromSeed(seed)) : Ed25519Seed(Path.Combine(data, "accreditation.ed25519"));
using var tokenKey = secrets.PrivacyPassKey is { } tokenDer ? ServerSecrets.WithDecoded(tokenDer, der => BlindRsaPrivateKey.ImportPkcs8(der)) : RsaKey(Path.Combine(data, "privacy-pass-2048.pem"));

// One data source for every PostgreSQL store and the write lock; disposed after them (using declarations unwind in reverse).
await using var postgres = settings.Postgres is { } connection
    ? new Npgsql.NpgsqlDataSourceBuilder(PostgresLedgerStore.TuneConnectionString(connection)).Build()
    : null;
ILedgerStore ledgerStore;
ISchemeStore schemeStore;
IMerkleLogStore logStore;
PostgresSchemeWriteLock? writeLock = null;
SqliteSchemeDatabase? database = null;
PostgresSchemeDatabase? postgresDatabase = null;
try
{
    if (postgres is not null)
    {
        // One schema, one transaction per operation; every node on the database shares the advisory write lock.
        postgresDatabase = await PostgresSchemeDatabase.OpenAsync(postgres);
        (ledgerStore, schemeStore, logStore) = (postgresDatabase.Ledger, postgresDatabase.Scheme, postgresDatabase.Log);
        writeLock = await PostgresSchemeWriteLock.OpenAsync(postgres);
    }
    else if (inMemory)
    {
        (ledgerStore, schemeStore, logStore) = (new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
    }
    else
    {
        // One file, one transaction per operation; a data directory of an earlier release (three files) is imported first.
        // Created owner-only up front, unless an earlier release's files are there to be imported (or refused).
        if (!SqliteSchemeDatabase.SeparateFileNames.Any(name => File.Exists(Path.Combine(data, name))))
        {
            OwnerOnlyFile(Path.Combine(data, SqliteSchemeDatabase.DefaultFileName));
        }

        database = await SqliteSchemeDatabase.OpenDirectoryAsync(data);
        (ledgerStore, schemeStore, logStore) = (database.Ledger, database.Scheme, database.Log);
    }
}
catch (Npgsql.NpgsqlException e)
{
    Console.Error.WriteLine($"refusing to start: the PostgreSQL database cannot be used ({e.Message})");
    return 1;
}
catch (LedgerStoreException e)
{
    Console.Error.WriteLine($"refusing to start: the scheme database cannot be used ({e.Message})");
    return 1;
}

await using var ownedWriteLock = writeLock;
await using var ownedDatabase = database;
await using var ownedPostgresDatabase = postgresDatabase;
ISchemeTransactions? transactions = database is not null ? database : postgresDatabase;
if (keyFiles)
{
    NarrowFiles(data);
}

// Test seam only: WALLETCORE_CRASH_AT=<point>[:<n>][@<flow>] makes the server SIGKILL itself the nth time a flow reaches
// the point (FaultInjection/CrashPoint.cs); the crash soak restarts it on the same data directory and retries.
if (CrashPoint.FromEnvironment() is { } crash)
{
    ledgerStore = new CrashingLedgerStore(ledgerStore, crash);
    schemeStore = new CrashingSchemeStore(schemeStore, crash);
    logStore = new CrashingMerkleLogStore(logStore, crash);
    Console.WriteLine($"fault injection   SIGKILL at {crash} ({CrashPoint.Variable})");
}

// In memory, keysets vanish at exit, so their keys may too; on disk, keys persist sealed beside them; with a signing
// process, they stay in it.
using IDisposable keyStore = signerSocket is not null ? new SocketKeysetSignerSource(signerSocket)
    : inMemory ? new InMemoryKeysetKeyStore()
    : postgres is not null ? await PostgresKeyStoreAsync(postgres, secrets.KeyEncryptionKey, kekFile)
    : SealedKeyStore(Path.Combine(data, "keysets"), secrets.KeyEncryptionKey, kekFile);
ISchemeWriteLock schemeLock = writeLock is not null ? writeLock : new InProcessSchemeWriteLock();
var scheme = keyStore is IKeysetSignerSource signers
    ? new BenefitScheme(schemeKey, accreditationKey.PublicKey, new SchemeLedger(ledgerStore, time), schemeStore, logStore, time, signers) { CheckpointOrigin = origin, WriteLock = schemeLock, Transactions = transactions }
    : new BenefitScheme(schemeKey, accreditationKey.PublicKey, new SchemeLedger(ledgerStore, time), schemeStore, logStore, time, (IKeysetKeyStore)keyStore) { CheckpointOrigin = origin, WriteLock = schemeLock, Transactions = transactions };
try
{
    await scheme.LoadKeysAsync();
}
catch (Exception e) when (e is MissingKeysetKeyException or KeysetKeyStoreException or KeysetSignerUnavailableException)
{
    Console.Error.WriteLine($"refusing to start: {e.Message}");
    return 1;
}

builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
// SIGTERM (or Ctrl+C) stops accepting requests, lets those in flight finish for up to ShutdownSeconds, stops the
// background loops, and only then are the stores disposed (the using declarations above outlive RunAsync).
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(settings.ShutdownSeconds));
builder.Services.AddSingleton(scheme);
builder.Services.AddSingleton<ISchemeClient>(scheme);
builder.Services.AddHealthChecks().AddWalletSchemeReadiness();
if (settings.OtlpEndpoint is { } otlp)
{
    Telemetry.AddOtlp(builder.Services, new Uri(otlp));
}

if (settings.OpenApi)
{
    OpenApiDescription.Add(builder.Services);
}

var app = builder.Build();
app.MapWalletHealthChecks();
if (settings.OpenApi)
{
    app.MapOpenApi(OpenApiDescription.Path);
}

using var withdrawalLimiter = WithdrawalLimiter(withdrawalsPerMinute);
app.MapWalletScheme(configure: o => o.WithdrawalRateLimiter = withdrawalLimiter);
app.MapWalletSchemeTiles(scheme, o => o.Origin = origin);
var cosigner = new CheckpointCosigner(scheme, witnesses, app.Services.GetRequiredService<ILogger<CheckpointCosigner>>());
app.MapPrivacyPassIssuer(new PrivacyPassIssuer(tokenKey));
var operatorApi = app.MapWalletSchemeOperator(scheme, o =>
{
    byte[] key = secrets.OperatorKey is { } operatorText ? ServerSecrets.DecodeUrl(operatorText) : OperatorKey(operatorKeyFile);
    try
    {
        o.SetOperatorKey(key);
    }
    finally
    {
        CryptographicOperations.ZeroMemory(key);
    }
});

if (!systemClock)
{
    // Sample only, behind the operator key like the rest of the group: PUT a u64 big-endian Unix time to move the clock forward to it
    // (idempotent: a time the clock has passed leaves it as it is).
    // A Func rather than a RequestDelegate, so routing binds it and records its method for the OpenAPI description.
    operatorApi.MapPut("/sample/clock", (Func<HttpContext, Task>)(async context =>
    {
        byte[] body = new byte[9];
        int read = await context.Request.Body.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, context.RequestAborted);
        if (read == 8)
        {
            clock.MoveTo(DateTimeOffset.FromUnixTimeSeconds((long)Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(body), 253402300799UL)));
        }

        context.Response.StatusCode = read == 8 ? StatusCodes.Status204NoContent : StatusCodes.Status409Conflict;
    }))
        .WithName("sampleMoveClock").WithSummary("Sample only: move the clock forward to a u64 big-endian Unix time").WithTags("operator")
        .Accepts<Stream>("application/octet-stream")
        .WithMetadata(
            new ProducesResponseTypeMetadata(StatusCodes.Status204NoContent, typeof(void)) { Description = "The clock reads at least that time (it never moves back)." },
            new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), [PbMediaTypes.Problem]) { Description = "Problem types: " + ProblemTypes.Unauthorized },
            new ProducesResponseTypeMetadata(StatusCodes.Status409Conflict, typeof(void)) { Description = "Not 8 bytes." });
}

Console.WriteLine($"scheme key        {scheme.PublicKey}");
Console.WriteLine($"log vkey          {new Ed25519NoteSigner(origin, schemeKey).Verifier.VerifierKey}");
Console.WriteLine($"accreditation key {accreditationKey.PublicKey} (sample accreditation body: its seed is {(secrets.AccreditationKey is null ? Path.Combine(data, "accreditation.ed25519") : ServerSecrets.Secret(nameof(ServerSecrets.AccreditationKey)))})");
Console.WriteLine(secrets.OperatorKey is null ? $"operator key file {operatorKeyFile}" : $"operator key      from {ServerSecrets.Secret(nameof(ServerSecrets.OperatorKey))}");
if (secrets.Given().Any())
{
    Console.WriteLine($"secrets           from the configuration: {string.Join(", ", secrets.Given())}{(keyFiles ? "" : "; no local files")}");
}

Console.WriteLine($"clock             {(systemClock ? "system" : "system, movable forward by the operator (PUT /pb1/operator/sample/clock)")}");
Console.WriteLine($"storage           {(inMemory ? "in memory" : postgres is not null ? $"PostgreSQL (ledger, scheme state, log; the write lock is an advisory lock shared by every node on the database){(keyFiles ? $"; key files in {data}" : "")}" : data)}");
Console.WriteLine($"keyset keys       {(signerSocket is not null ? $"in the signing process at {signerSocket}" : inMemory ? "in memory" : postgres is not null ? $"sealed in PostgreSQL under the key-encryption key {(secrets.KeyEncryptionKey is null ? $"file {kekFile}" : $"from {ServerSecrets.Secret(nameof(ServerSecrets.KeyEncryptionKey))}")}" : $"sealed in {Path.Combine(data, "keysets")} under the key-encryption key file {kekFile}")}");
Console.WriteLine($"withdrawals       {(withdrawalLimiter is null ? "not rate limited" : $"at most {withdrawalsPerMinute} a minute per account (token bucket)")}");
foreach (CheckpointWitness witness in witnesses)
{
    Console.WriteLine($"witness           {witness.Name} at {((HttpWitnessClient)witness.Client).AddCheckpointUri} (vkey {witness.Verifier.VerifierKey})");
}

Console.WriteLine($"checkpoints       {(witnesses.Length == 0 ? "signed per request, no witnesses" : $"sent to {witnesses.Length} witness(es) every {witnessInterval} s when the log grew")}");
Console.WriteLine($"ledger checkpoint {(ledgerCheckpointSeconds > 0 ? $"logged every {ledgerCheckpointSeconds} s" : "on the operator's call only")}");
Console.WriteLine($"telemetry         {(settings.OtlpEndpoint is { } exporter ? $"traces and metrics over OTLP to {exporter}" : "off (--otlp-endpoint URL turns it on)")}");
Console.WriteLine($"health            http://127.0.0.1:{port}/healthz/live, /healthz/ready (stores and signing keys)");
Console.WriteLine($"openapi           {(settings.OpenApi ? $"http://127.0.0.1:{port}{OpenApiDescription.Path}" : "off")}");
Console.WriteLine($"listening         http://127.0.0.1:{port}/pb1/ (operator API under /pb1/operator/)");

// The cosigning loop stops with the host: ApplicationStopping cancels it, and it is awaited before the stores close.
Task cosigning = witnesses.Length == 0 ? Task.CompletedTask : cosigner.RunAsync(TimeSpan.FromSeconds(witnessInterval), app.Lifetime.ApplicationStopping);
var checkpoints = ledgerCheckpointSeconds > 0 ? LogLedgerCheckpointsAsync(scheme, TimeSpan.FromSeconds(ledgerCheckpointSeconds), time, app.Lifetime.ApplicationStopping) : Task.CompletedTask;
await app.RunAsync();
await cosigning;
await checkpoints;
return 0;

// One checkpoint per tick that has new log entries to close, each under its own key; a tick that finds an operation between its ledger entry and its log
// entry logs nothing and the next tick tries again (docs/PROTOCOL.md 5.15).
static async Task LogLedgerCheckpointsAsync(BenefitScheme scheme, TimeSpan every, TimeProvider time, CancellationToken stopping)
{
    using var timer = new PeriodicTimer(every);
    try
    {
        while (await timer.WaitForNextTickAsync(stopping))
        {
            // Nothing logged since the last checkpoint: another would repeat it (or show contributions alone).
            ulong size = (await scheme.GetTreeHeadAsync(stopping)).TreeSize;
            if (size > 0 && (await scheme.GetLogEntryAsync(size - 1, stopping))?.Kind == LogEntryKind.LedgerCheckpoint)
            {
                continue;
            }

            var record = await scheme.LogLedgerCheckpointAsync(new IdempotencyKey($"periodic-{time.GetUtcNow().ToUnixTimeMilliseconds()}"), stopping);
            Console.WriteLine(record is null
                ? "ledger checkpoint skipped: an operation has its ledger entry but not yet its log entry"
                : $"ledger checkpoint #{record.Sequence} logged at index {record.LogSize} (journal {record.JournalEntries} entries)");
        }
    }
    catch (OperationCanceledException) when (stopping.IsCancellationRequested)
    {
    }
}

// '<vkey>@<url>': a vkey is <name>+<key ID>+<base64>, and neither its name nor its base64 holds '@' after the second '+'.
CheckpointWitness WitnessOption(string value)
{
    int first = value.IndexOf('+', StringComparison.Ordinal);
    int second = first < 0 ? -1 : value.IndexOf('+', first + 1);
    int at = second < 0 ? -1 : value.IndexOf('@', second + 1);
    if (at < 0 || !Uri.TryCreate(value[(at + 1)..], UriKind.Absolute, out Uri? url))
    {
        throw new ArgumentException($"--witness {value} is not '<witness vkey>@<submission prefix URL>'.");
    }

    NoteVerifier key;
    try
    {
        key = NoteVerifier.Parse(value[..at]);
    }
    catch (NoteFormatException e)
    {
        throw new ArgumentException($"--witness {value}: {e.Message}", e);
    }

    return key is CosignatureV1Verifier verifier
        ? new CheckpointWitness(verifier, new HttpWitnessClient(witnessHttp, url))
        : throw new ArgumentException($"--witness {value} is not a cosignature/v1 verifier key (type 0x04).");
}

// A burst of perMinute withdrawals per account, then one every 60/perMinute seconds; a refusal is a 429 with Retry-After,
// which HttpSchemeClient waits out. Null (no limit) for 0.
static PartitionedRateLimiter<AccountId>? WithdrawalLimiter(int perMinute)
{
    ArgumentOutOfRangeException.ThrowIfNegative(perMinute);
    return perMinute == 0 ? null : PartitionedRateLimiter.Create<AccountId, string>(account => RateLimitPartition.GetTokenBucketLimiter(account.Value, _ => new TokenBucketRateLimiterOptions
    {
        TokenLimit = perMinute,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
        QueueLimit = 0,
        AutoReplenishment = true,
    }));
}

// The operator key file holds 32 random bytes as base64url; created owner-only when absent.
static byte[] OperatorKey(string path)
{
    if (!File.Exists(path))
    {
        byte[] fresh = RandomNumberGenerator.GetBytes(32);
        try
        {
            WriteSecret(path, System.Text.Encoding.ASCII.GetBytes(Base64Url.EncodeToString(fresh)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(fresh);
        }
    }

    byte[] buffer = new byte[35];
    try
    {
        string text = File.ReadAllText(path).Trim();
        if (!Base64Url.IsValid(text, out int length) || length != 32 || !Base64Url.TryDecodeFromChars(text, buffer, out int written) || written != 32)
        {
            throw new InvalidOperationException($"{path} does not hold a base64url operator key of 32 bytes.");
        }

        return buffer[..32];
    }
    finally
    {
        CryptographicOperations.ZeroMemory(buffer);
    }
}

static Ed25519SigningKey Ed25519Seed(string path)
{
    if (File.Exists(path))
    {
        return Ed25519SigningKey.FromSeed(File.ReadAllBytes(path));
    }

    using var key = Ed25519SigningKey.Generate(exportable: true);
    byte[] seed = new byte[32];
    try
    {
        key.ExportSeed(seed);
        WriteSecret(path, seed);
        return Ed25519SigningKey.FromSeed(seed);
    }
    finally
    {
        CryptographicOperations.ZeroMemory(seed);
    }
}

static BlindRsaPrivateKey RsaKey(string path)
{
    if (File.Exists(path))
    {
        return BlindRsaPrivateKey.ImportFromPem(File.ReadAllText(path));
    }

    using var key = BlindRsaPrivateKey.Generate(2048, exportable: true);
    WriteSecret(path, System.Text.Encoding.ASCII.GetBytes(key.ExportPkcs8Pem()));
    return BlindRsaPrivateKey.ImportFromPem(File.ReadAllText(path));
}

static SealedFileKeysetKeyStore SealedKeyStore(string directory, string? kekSecret, string kekFile)
{
    if (kekSecret is null)
    {
        return SealedFileKeysetKeyStore.OpenWithKeyFile(directory, kekFile);
    }

    return ServerSecrets.WithDecoded(kekSecret, kek => new SealedFileKeysetKeyStore(directory, kek));
}

static async Task<PostgresKeysetKeyStore> PostgresKeyStoreAsync(Npgsql.NpgsqlDataSource dataSource, string? kekSecret, string kekFile)
{
    byte[] kek = kekSecret is not null ? ServerSecrets.Decode(kekSecret) : SealedFileKeysetKeyStore.ReadOrCreateKeyEncryptionKey(kekFile);
    try
    {
        return await PostgresKeysetKeyStore.OpenAsync(dataSource, kek);
    }
    finally
    {
        CryptographicOperations.ZeroMemory(kek);
    }
}

// 0700 whatever the umask, and narrowed when it already exists: it holds accounts, withdrawals and keys.
static void OwnerOnlyDirectory(string path)
{
    if (OperatingSystem.IsWindows())
    {
        Directory.CreateDirectory(path);
        return;
    }

    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    Directory.CreateDirectory(path, OwnerOnly);
    File.SetUnixFileMode(path, OwnerOnly);
}

// SQLite creates a database with the umask's mode and gives its -wal and -shm files the database's mode, so the
// database is created (empty, which SQLite accepts as a new database) or narrowed to 0600 before it is opened.
static string OwnerOnlyFile(string path)
{
    if (!OperatingSystem.IsWindows())
    {
        if (File.Exists(path))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        else
        {
            new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }).Dispose();
        }
    }

    return path;
}

// Anything else the stores left in the data directory (journals from an older run) is narrowed too.
static void NarrowFiles(string directory)
{
    if (OperatingSystem.IsWindows())
    {
        return;
    }

    foreach (string file in Directory.EnumerateFiles(directory))
    {
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}

static void WriteSecret(string path, byte[] bytes)
{
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    using var file = new FileStream(path, new FileStreamOptions
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        UnixCreateMode = OperatingSystem.IsWindows() ? null : UnixFileMode.UserRead | UnixFileMode.UserWrite,
    });
    file.Write(bytes);
}
