// PB/1 scheme over HTTP on 127.0.0.1, SQLite by default.
//   dotnet run --project samples/Scheme.Server [-- --data ./scheme-data --port 5080 --in-memory]
// Serves /pb1/* (docs/http.md) and a Privacy Pass type 2 issuer (/.well-known/private-token-issuer-directory,
// /token-request). Keys are kept as plain files in the data directory so a restart re-attaches them: fine for a
// sample, not for production (use SealedFile or an HSM-backed key store there).
using System.Net;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.AspNetCore.PrivacyPass;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Transport;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;

string data = Option("--data") ?? Path.Combine(Environment.CurrentDirectory, "scheme-data");
int port = int.Parse(Option("--port") ?? "5080", System.Globalization.CultureInfo.InvariantCulture);
bool inMemory = args.Contains("--in-memory");
Directory.CreateDirectory(data);

var time = TimeProvider.System;
using var schemeKey = Ed25519Seed(Path.Combine(data, "scheme.ed25519"));
using var accreditationKey = Ed25519Seed(Path.Combine(data, "accreditation.ed25519"));
using var keysetKey = RsaKey(Path.Combine(data, "keyset-2048.pem"));
using var tokenKey = RsaKey(Path.Combine(data, "privacy-pass-2048.pem"));

ILedgerStore ledgerStore = inMemory ? new InMemoryLedgerStore() : await SqliteLedgerStore.OpenAsync(Path.Combine(data, "ledger.db"));
ISchemeStore schemeStore = inMemory ? new InMemorySchemeStore() : SqliteSchemeStore.Open(Path.Combine(data, "scheme.db"));
IMerkleLogStore logStore = inMemory ? new InMemoryMerkleLogStore() : SqliteMerkleLogStore.Open(Path.Combine(data, "log.db"));
var scheme = new BenefitScheme(schemeKey, accreditationKey.PublicKey, new SchemeLedger(ledgerStore, time), schemeStore, logStore, time);

// One general-fund keyset for the current quarter; announcing is idempotent, so a restart only re-attaches the key.
var now = time.GetUtcNow();
var quarter = new DateTimeOffset(now.Year, ((now.Month - 1) / 3 * 3) + 1, 1, 0, 0, 0, TimeSpan.Zero);
var descriptor = new KeysetDescriptor(
    (uint)((now.Year * 4) + ((now.Month - 1) / 3)), Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund,
    quarter, quarter.AddMonths(3), quarter.AddMonths(6), quarter.AddMonths(7), KeysetMode.RsaBlind, keysetKey.PublicKey.ExportSubjectPublicKeyInfo());
await scheme.AnnounceKeysetAsync(descriptor, keysetKey);

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
builder.Services.AddSingleton<ISchemeClient>(scheme);
var app = builder.Build();
app.MapWalletScheme();
app.MapPrivacyPassIssuer(new PrivacyPassIssuer(tokenKey));

Console.WriteLine($"scheme key        {scheme.PublicKey}");
Console.WriteLine($"accreditation key {accreditationKey.PublicKey}");
Console.WriteLine($"keyset            {descriptor.Id} (100, general)");
Console.WriteLine($"storage           {(inMemory ? "in memory" : data)}");
Console.WriteLine($"listening         http://127.0.0.1:{port}/pb1/");
await app.RunAsync();

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
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
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(seed);
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

static void WriteSecret(string path, byte[] bytes)
{
    using var file = new FileStream(path, new FileStreamOptions
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        UnixCreateMode = OperatingSystem.IsWindows() ? null : UnixFileMode.UserRead | UnixFileMode.UserWrite,
    });
    file.Write(bytes);
}
