using System.Globalization;
using System.Net.Sockets;
using Wallet.Benchmarks.BlindRsa;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Keysets.Remote;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// The cost of keeping a keyset's key in a separate signing process (docs/PROTOCOL.md 8.2): 64 blind signatures as
/// one Sign request over a Unix domain socket to a <see cref="KeysetSignerService"/> (served in this process, so both
/// ends share the machine as they would on one host), against the in-process signer of the same key and messages.
/// </summary>
public sealed class SignerSocketQuickSuite : IQuickSuite
{
    private const int Batch = 64;

    public string Name => "signer-socket";

    public void Run(QuickReporter report)
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-bench-signer-").FullName;
        using var key = BlindRsaPrivateKey.ImportPkcs8(BlindRsaFixture.Pkcs8(2048));
        var now = TimeProvider.System.GetUtcNow();
        var descriptor = new KeysetDescriptor(1, Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, now.AddDays(-1), now.AddDays(30), now.AddDays(60), now.AddDays(90), BlindRsaScheme.Rsabssa, key.PublicKey.ExportSubjectPublicKeyInfo());
        using var store = new InMemoryKeysetKeyStore();
        store.PutAsync(descriptor.Id, key, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        using var service = new KeysetSignerService(store);
        using var stop = new CancellationTokenSource();
        string path = Path.Combine(directory, "signer.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(8);
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var connection = await listener.AcceptAsync(stop.Token);
                _ = Task.Run(async () =>
                {
                    await using var stream = new NetworkStream(connection, ownsSocket: true);
                    await service.ServeAsync(stream, stop.Token);
                });
            }
        });

        try
        {
            using var source = new SocketKeysetSignerSource(path);
            var remote = source.TryGetSignerAsync(descriptor, CancellationToken.None).AsTask().GetAwaiter().GetResult()!;
            var local = new InProcessKeysetSignerSource(store).TryGetSignerAsync(descriptor, CancellationToken.None).AsTask().GetAwaiter().GetResult()!;
            byte[] modulus = key.PublicKey.ExportModulus();
            var messages = Enumerable.Range(1, Batch).Select(i =>
            {
                byte[] m = new byte[modulus.Length];
                m[1] = 0x42;
                m[^1] = (byte)i;
                return BlindedMessage.FromBytes(m);
            }).ToArray();

            var (socket, inProcess, ratio) = QuickReporter.MeasurePaired(
                () => remote.BlindSignAsync(messages, CancellationToken.None).AsTask().GetAwaiter().GetResult(),
                () => local.BlindSignAsync(messages, CancellationToken.None).AsTask().GetAwaiter().GetResult(),
                rounds: 4,
                roundTime: TimeSpan.FromMilliseconds(150));
            report.Line("blind-sign-64-socket", Batch, "memory", socket * Batch);
            report.Line("blind-sign-64-in-process", Batch, "memory", inProcess * Batch);
            report.Note(string.Create(CultureInfo.InvariantCulture, $"signing process over a socket / in process = {ratio:F2}"));
        }
        finally
        {
            stop.Cancel();
            try
            {
                accepting.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }

            Directory.Delete(directory, recursive: true);
        }
    }
}
