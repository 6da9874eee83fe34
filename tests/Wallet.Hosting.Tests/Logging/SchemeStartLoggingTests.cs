using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;

namespace Wallet.Hosting.Tests.Logging;

/// <summary>What src/Wallet.Hosting/Logging writes when the scheme starts: the store kind, never a secret.</summary>
public sealed class SchemeStartLoggingTests
{
    [Fact]
    public void SchemeStartLogsTheStoreKindAndNoSecret()
    {
        var sink = new ListLoggerProvider();
        using var key = Ed25519SigningKey.Generate(exportable: true);
        const string password = "hunter2-not-for-logs";
        // A ledger store registered first wins, so the PostgreSQL registration (and its password) is configured but never opened.
        var services = new ServiceCollection().AddSingleton<ILoggerFactory>(sink).AddSingleton<ILedgerStore>(new InMemoryLedgerStore()).AddWalletScheme(o =>
        {
            o.SchemeKey = key;
            o.AccreditationKey = key.PublicKey;
        }).AddWalletPostgresLedgerStore(o => o.ConnectionString = $"Host=db;Password={password}");
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<BenefitScheme>();
        string logged = string.Join('\n', sink.Messages);
        Assert.Contains("InMemory", logged, StringComparison.Ordinal);
        Assert.DoesNotContain(password, logged, StringComparison.Ordinal);
        byte[] seed = new byte[32];
        key.ExportSeed(seed);
        Assert.DoesNotContain(Convert.ToHexString(seed), logged, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(seed), logged, StringComparison.Ordinal);
    }
}
