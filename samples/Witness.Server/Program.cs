// A sample C2SP tlog-witness server (docs/PROTOCOL.md 5.13):
//   dotnet run --project samples/Witness.Server -- --urls http://127.0.0.1:8090 --name witness.example.org/w1 \
//       --key-file witness.key --state witness-state --log '<log vkey>' [--log '<another log vkey>' ...]
// Serves POST /add-checkpoint, with the submission prefix at the root. Each --log is a log's Ed25519 verifier key,
// whose key name is the log's origin. The witness's 32-byte Ed25519 seed lives in --key-file (created, mode 0600,
// when absent); its state and the split-view evidence it collects live in --state (FileWitnessStore), so a restarted
// witness still refuses a fork of what it cosigned. On start it prints "vkey <witness verifier key>" for clients'
// witness policies.
using System.Security.Cryptography;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Witnesses;

string name = Option("--name") ?? "witness.example.org/w1";
string keyFile = Path.GetFullPath(Option("--key-file") ?? "witness.key");
string stateDirectory = Path.GetFullPath(Option("--state") ?? "witness-state");
WitnessedLog[] logs = [.. Options("--log").Select(vkey => NoteVerifier.Parse(vkey) is Ed25519NoteVerifier key
    ? new WitnessedLog(key.Name, key)
    : throw new ArgumentException($"--log {vkey} is not an Ed25519 note verifier key."))];

using Ed25519SigningKey key = Ed25519SigningKey.FromSeed(ReadOrCreateSeed(keyFile));
using var store = new FileWitnessStore(stateDirectory);
var witness = new Witness(logs, new CosignatureV1Signer(name, key, TimeProvider.System), store);

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = AddCheckpointRequest.MaxEncodedLength);
var app = builder.Build();

app.MapPost("/add-checkpoint", async (HttpContext http) =>
{
    using var body = new MemoryStream();
    await http.Request.Body.CopyToAsync(body, http.RequestAborted);
    AddCheckpointRequest request;
    try
    {
        request = AddCheckpointRequest.Parse(body.ToArray());
    }
    catch (WitnessFormatException e)
    {
        http.Response.StatusCode = StatusCodes.Status400BadRequest;
        await http.Response.WriteAsync(e.Message + "\n", http.RequestAborted);
        return;
    }

    AddCheckpointResult result = await witness.AddCheckpointAsync(request, http.RequestAborted);
    if (result.Evidence is { } evidence)
    {
        app.Logger.LogWarning("Refused {Status} for {Origin}; split-view evidence kept: {Evidence}", result.Status, evidence.Origin, evidence);
    }

    http.Response.StatusCode = result.HttpStatusCode;
    http.Response.ContentType = result.Status == AddCheckpointStatus.OldSizeMismatch ? AddCheckpointResponse.TreeSizeContentType : "text/plain; charset=utf-8";
    await http.Response.WriteAsync(result.FormatBody(), http.RequestAborted);
});

Console.WriteLine($"vkey {witness.Verifier.VerifierKey}");
await app.RunAsync();

static byte[] ReadOrCreateSeed(string path)
{
    if (!File.Exists(path))
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var file = new FileStream(path, options);
        file.Write(RandomNumberGenerator.GetBytes(32));
    }

    byte[] seed = File.ReadAllBytes(path);
    return seed.Length == 32 ? seed : throw new InvalidDataException($"{path} does not hold a 32-byte Ed25519 seed.");
}

string? Option(string option) => Options(option).LastOrDefault();

IEnumerable<string> Options(string option)
{
    for (int i = 0; i + 1 < args.Length; i++)
    {
        if (args[i] == option)
        {
            yield return args[i + 1];
        }
    }
}
