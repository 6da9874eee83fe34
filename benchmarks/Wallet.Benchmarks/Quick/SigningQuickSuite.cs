using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;

namespace Wallet.Benchmarks.Quick;

/// <summary>Quick probes for domain-separated Ed25519 and seed-to-coin derivation.</summary>
public sealed class SigningQuickSuite : IQuickSuite
{
    private const int MessageLength = 64;

    /// <inheritdoc />
    public string Name => "signing";

    /// <inheritdoc />
    public void Run(QuickReporter report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var domain = new SignatureDomain("PB1/withdrawal-receipt", 1);
        var message = new byte[MessageLength];
        message.AsSpan().Fill(0x5a);
        using var key = Ed25519SigningKey.Generate();
        byte[] signature = key.Sign(domain, message);
        var shortRound = TimeSpan.FromMilliseconds(200);

        report.Line("ed25519-sign", MessageLength, "nsec", QuickReporter.Measure(() => key.Sign(domain, message), roundTime: shortRound));
        report.Line("ed25519-verify", MessageLength, "nsec", QuickReporter.Measure(() => key.PublicKey.Verify(domain, message, signature), roundTime: shortRound));

        using var seed = WalletSeed.Generate();
        var keysetId = new byte[32];
        ulong counter = 0;
        report.Line("seed-derive-coin", 1, "hkdf", QuickReporter.Measure(
            () =>
            {
                using CoinSecrets coin = seed.DeriveCoin(keysetId, counter++);
            },
            roundTime: shortRound));

        // The signing key is made on first use (a spend); before issue 21's change every derivation made it, so this
        // line continues the old seed-derive-coin series, and the difference is what blinding and unblinding save.
        report.Line("seed-derive-coin-key", 1, "hkdf", QuickReporter.Measure(
            () =>
            {
                using CoinSecrets coin = seed.DeriveCoin(keysetId, counter++);
                _ = coin.SigningKey;
            },
            roundTime: shortRound));
    }
}
