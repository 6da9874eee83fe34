// A separate signing process for samples/Scheme.Server (docs/PROTOCOL.md 8.2 "HSM or signing process"):
//   dotnet run --project samples/Scheme.Signer -- --socket PATH [--keys DIR --kek-file PATH]
// Holds the keysets' blind-signing keys sealed in DIR (SealedFileKeysetKeyStore, one file per keyset, under the
// 32-byte key-encryption key of --kek-file, created when absent; keep it apart from DIR in production) and answers
// the scheme's requests on a Unix domain socket (mode 0600: only this user can connect) with the length-prefixed
// protocol of Wallet.Protocol.Keysets.Remote.KeysetSignerProtocol: blind-sign a batch for a keyset, tell a keyset's
// public key, generate a key and file it under the keyset the scheme announces with it. Private keys never cross the
// socket; bad input gets a typed error. Start it before Scheme.Server --signer-socket PATH.
using System.Net.Sockets;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Keysets.Remote;

string socketPath = Path.GetFullPath(Option("--socket") ?? Path.Combine(Environment.CurrentDirectory, "scheme-signer.sock"));
string keyDirectory = Path.GetFullPath(Option("--keys") ?? Path.Combine(Environment.CurrentDirectory, "signer-keys"));
string kekFile = Path.GetFullPath(Option("--kek-file") ?? Path.Combine(Environment.CurrentDirectory, "signer-keys.kek"));

using var keyStore = OpenKeyStore(keyDirectory, kekFile);
using var service = new KeysetSignerService(keyStore);
using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});

// A socket file left by a killed run would make bind fail; nothing else may live at this path.
if (File.Exists(socketPath))
{
    File.Delete(socketPath);
}

using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
listener.Bind(new UnixDomainSocketEndPoint(socketPath));
if (!OperatingSystem.IsWindows())
{
    File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
}

listener.Listen(64);
Console.WriteLine($"keyset keys       sealed in {keyDirectory} under the key-encryption key file {kekFile}");
Console.WriteLine($"listening on      {socketPath}");

try
{
    while (true)
    {
        var connection = await listener.AcceptAsync(stopping.Token);
        _ = ServeAsync(connection, stopping.Token);
    }
}
catch (OperationCanceledException)
{
    // Stopping.
}
finally
{
    File.Delete(socketPath);
}

return 0;

// One connection: the service answers bad input with typed errors; anything else ends this connection only.
async Task ServeAsync(Socket connection, CancellationToken cancellationToken)
{
    try
    {
        await using var stream = new NetworkStream(connection, ownsSocket: true);
        await service.ServeAsync(stream, cancellationToken);
    }
    catch (OperationCanceledException)
    {
        // Stopping.
    }
    catch (Exception e)
    {
        Console.Error.WriteLine($"connection closed: {e.GetType().Name}");
    }
}

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static SealedFileKeysetKeyStore OpenKeyStore(string directory, string kekFile) => SealedFileKeysetKeyStore.OpenWithKeyFile(directory, kekFile);
