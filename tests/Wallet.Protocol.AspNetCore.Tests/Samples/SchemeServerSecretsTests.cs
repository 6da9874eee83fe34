using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Wallet.Benchmarks.Postgres;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Operators;
using static Wallet.Protocol.AspNetCore.Tests.Samples.SampleProcesses;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>
/// Issue 19: Scheme.Server with every store in PostgreSQL and every secret in the configuration (here the environment,
/// as a secret store would fill it) keeps nothing on the machine: no data directory is created, no file written, and
/// the scheme signs with the configured keys, the operator API takes the configured operator key, and a keyset's key is
/// sealed in the database under the configured key-encryption key, found again after a restart. A malformed secret
/// stops the server before it starts, naming the secret and never its value.
/// </summary>
public sealed class SchemeServerSecretsTests
{
    [Fact]
    public async Task WithPostgresAndEverySecretConfiguredTheServerWritesNoLocalFile()
    {
        await using var postgres = await PostgresServer.StartAsync(durable: false);
        string connection = await postgres.CreateSchemaAsync("secrets");
        string root = Directory.CreateTempSubdirectory("walletcore-secrets-").FullName;
        string data = Path.Combine(root, "data");
        using var schemeKey = Ed25519SigningKey.Generate(exportable: true);
        using var token = BlindRsaPrivateKey.Generate(2048, exportable: true);
        byte[] operatorKey = RandomNumberGenerator.GetBytes(32);
        var environment = new Dictionary<string, string>
        {
            ["SchemeServer__Secrets__SchemeKey"] = Seed(schemeKey),
            ["SchemeServer__Secrets__AccreditationKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["SchemeServer__Secrets__PrivacyPassKey"] = Convert.ToBase64String(token.ExportPkcs8()),
            ["SchemeServer__Secrets__OperatorKey"] = Base64Url.EncodeToString(operatorKey),
            ["SchemeServer__Secrets__KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        try
        {
            for (int start = 0; start < 2; start++)
            {
                int port = FreePort();
                using var server = Start(Sample("Scheme.Server"), environment, ["--data", data, "--port", port.ToString(CultureInfo.InvariantCulture), "--postgres", connection]);
                var output = Collect(server);
                try
                {
                    await WaitUntilListeningAsync(port, server);
                    using var http = new HttpClient();
                    var schemeOperator = new HttpSchemeOperatorClient(http, new HttpSchemeOperatorClientOptions
                    {
                        Transport = new HttpSchemeClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/pb1/operator/") },
                        OperatorKey = Base64Url.EncodeToString(operatorKey),
                    });
                    if (start == 0)
                    {
                        // The operator key from the environment authenticates; the keyset's key is generated and sealed in the database.
                        var now = DateTimeOffset.UtcNow;
                        var announced = await schemeOperator.AnnounceKeysetAsync(new IdempotencyKey("keyset-1"), new KeysetParameters(1, Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, now.AddMinutes(-1), now.AddDays(30), now.AddDays(60), now.AddDays(90)));
                        Assert.NotNull(announced);
                    }

                    // Ready on the second start means the withdrawable keyset's sealed key opened under the configured key-encryption key.
                    using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz/ready"));
                    Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
                    Assert.Contains($"scheme key        {schemeKey.PublicKey}", output.ToString(), StringComparison.Ordinal);
                    Assert.Contains("; no local files", output.ToString(), StringComparison.Ordinal);
                    Assert.DoesNotContain(environment["SchemeServer__Secrets__OperatorKey"], output.ToString(), StringComparison.Ordinal);
                    Assert.DoesNotContain(environment["SchemeServer__Secrets__KeyEncryptionKey"], output.ToString(), StringComparison.Ordinal);
                }
                finally
                {
                    server.Kill(entireProcessTree: true);
                    await server.WaitForExitAsync();
                }

                Assert.False(Directory.Exists(data), $"the server created {data}");
                Assert.Empty(Directory.EnumerateFileSystemEntries(root));
            }

            // A secret that is not what it must be stops the server before it starts, named without its value.
            environment["SchemeServer__Secrets__KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(31));
            using var refused = Start(Sample("Scheme.Server"), environment, ["--data", data, "--port", FreePort().ToString(CultureInfo.InvariantCulture), "--postgres", connection]);
            var refusal = Collect(refused);
            await refused.WaitForExitAsync();
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("SchemeServer__Secrets__KeyEncryptionKey is not 32 bytes", refusal.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(environment["SchemeServer__Secrets__KeyEncryptionKey"], refusal.ToString(), StringComparison.Ordinal);
            Assert.False(Directory.Exists(data));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(operatorKey);
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Seed(Ed25519SigningKey key)
    {
        byte[] seed = new byte[32];
        try
        {
            key.ExportSeed(seed);
            return Convert.ToBase64String(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }
}
