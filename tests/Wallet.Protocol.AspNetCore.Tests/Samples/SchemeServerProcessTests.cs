using System.Diagnostics;
using static Wallet.Protocol.AspNetCore.Tests.Samples.SampleProcesses;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>The samples as shipped: Scheme.Server started as its own process, the pilot driving it over HTTP from another.</summary>
public sealed class SchemeServerProcessTests
{
    [Fact]
    public async Task PilotAgainstASeparatelyStartedSchemeServerEndsAuditOk()
    {
        string data = Directory.CreateTempSubdirectory("walletcore-operator-").FullName;
        int port = FreePort();
        using var server = Start(Sample("Scheme.Server"), "--data", data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--in-memory");
        var serverOutput = Collect(server);
        try
        {
            await WaitUntilListeningAsync(port, server);
            Assert.True(File.Exists(Path.Combine(data, "operator.key")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "operator.key")));
            }

            string key = (await File.ReadAllTextAsync(Path.Combine(data, "operator.key"))).Trim();
            using var demo = Start(Sample("PortableBenefits.Demo"), "--workers", "20", "--epochs", "1", "--scheme-url", $"http://127.0.0.1:{port}", "--operator-key-file", Path.Combine(data, "operator.key"));
            var demoOutput = Collect(demo);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await demo.WaitForExitAsync(timeout.Token);
            string output = demoOutput.ToString();
            Assert.True(demo.ExitCode == 0, output);
            Assert.Contains("AUDIT OK", output, StringComparison.Ordinal);
            Assert.Contains($"scheme server at http://127.0.0.1:{port}/", output, StringComparison.Ordinal);
            Assert.DoesNotContain(key, output + serverOutput, StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task SampleClockPutIsIdempotentAndRefusesOnlyAMalformedBody()
    {
        // The pilot puts calendar moments in whole seconds while the clock runs on in real time: a time put again, or one
        // the clock has already passed, is reached, not a conflict (a retried PUT must not fail).
        string data = Directory.CreateTempSubdirectory("walletcore-operator-").FullName;
        int port = FreePort();
        using var server = Start(Sample("Scheme.Server"), "--data", data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--in-memory");
        _ = Collect(server);
        try
        {
            await WaitUntilListeningAsync(port, server);
            string key = (await File.ReadAllTextAsync(Path.Combine(data, "operator.key"))).Trim();
            using var http = new HttpClient();
            async Task<System.Net.HttpStatusCode> PutAsync(byte[] body)
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, $"http://127.0.0.1:{port}/pb1/operator/sample/clock") { Content = new ByteArrayContent(body) };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                using var response = await http.SendAsync(request);
                return response.StatusCode;
            }

            byte[] Time(DateTimeOffset when)
            {
                byte[] body = new byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(body, (ulong)when.ToUnixTimeSeconds());
                return body;
            }

            var ahead = DateTimeOffset.UtcNow.AddDays(40);
            Assert.Equal(System.Net.HttpStatusCode.NoContent, await PutAsync(Time(ahead)));
            await Task.Delay(1100);
            Assert.Equal(System.Net.HttpStatusCode.NoContent, await PutAsync(Time(ahead)));
            Assert.Equal(System.Net.HttpStatusCode.NoContent, await PutAsync(Time(ahead.AddDays(-10))));
            Assert.Equal(System.Net.HttpStatusCode.Conflict, await PutAsync(new byte[7]));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task SchemeServerOnSqliteKeepsItsKeysetKeysSealedAcrossARestartAndRefusesToStartWithoutThem()
    {
        string root = Directory.CreateTempSubdirectory("walletcore-operator-").FullName;
        string data = Path.Combine(root, "data");
        string port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            // The child inherits the umask: 022, under which a plain create would give 0755 directories and 0644 files.
            uint previous = OperatingSystem.IsWindows() ? 0 : Umask(0x12);
            Process server;
            try
            {
                server = Start(Sample("Scheme.Server"), "--data", data, "--port", port);
            }
            finally
            {
                if (!OperatingSystem.IsWindows())
                {
                    Umask(previous);
                }
            }

            var serverOutput = Collect(server);
            using (server)
            {
                await WaitUntilListeningAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), server);
                using var demo = Start(Sample("PortableBenefits.Demo"), "--workers", "20", "--epochs", "1", "--scheme-url", $"http://127.0.0.1:{port}", "--operator-key-file", Path.Combine(data, "operator.key"));
                var demoOutput = Collect(demo);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                await demo.WaitForExitAsync(timeout.Token);
                Assert.True(demo.ExitCode == 0, demoOutput.ToString());
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }

            string[] keys = Directory.GetFiles(Path.Combine(data, "keysets"), "*.key");
            Assert.NotEmpty(keys);
            if (!OperatingSystem.IsWindows())
            {
                const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                Assert.Equal(Owner | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
                Assert.Equal(Owner | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(data, "keysets")));
                foreach (string file in Directory.GetFiles(data).Concat(keys))
                {
                    var mode = File.GetUnixFileMode(file);
                    Assert.True(mode == Owner, $"{file} is {mode}");
                }
            }

            Assert.DoesNotContain(Convert.ToHexString(await File.ReadAllBytesAsync(Path.Combine(data, "keysets.kek"))), serverOutput.ToString(), StringComparison.OrdinalIgnoreCase);

            // Same data directory: the keys load and the server starts.
            using (var restarted = Start(Sample("Scheme.Server"), "--data", data, "--port", port))
            {
                Collect(restarted);
                await WaitUntilListeningAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), restarted);
                restarted.Kill(entireProcessTree: true);
                await restarted.WaitForExitAsync();
            }

            // Without the keys of keysets that can still be withdrawn from, it refuses to start.
            foreach (string key in keys)
            {
                File.Delete(key);
            }

            using var refused = Start(Sample("Scheme.Server"), "--data", data, "--port", port);
            var refusedOutput = Collect(refused);
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                await refused.WaitForExitAsync(timeout.Token);
            }

            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("refusing to start", refusedOutput.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // umask(2) always succeeds and returns the previous mask. DllImport, since LibraryImport needs unsafe code here.
#pragma warning disable SYSLIB1054
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
#pragma warning restore SYSLIB1054
}
