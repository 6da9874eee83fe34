// The throwaway consumer of .ci/pack-check: references only the packed WalletCore packages (from a local feed) and
// runs a withdraw-spend-deposit round trip through the dependency-injection registration, on SQLite files.
using Microsoft.Extensions.DependencyInjection;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Hosting.Wallets;
using Wallet.Protocol;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

string directory = Directory.CreateTempSubdirectory("walletcore-consumer-").FullName;
try
{
    using var schemeKey = Ed25519SigningKey.Generate();
    using var accreditationKey = Ed25519SigningKey.Generate();
    using var receiptKey = Ed25519SigningKey.Generate();
    var now = TimeProvider.System.GetUtcNow();
    var record = new ProviderRecord(new AccountId("union-a"), "Union A", ["union"], receiptKey.PublicKey, now.AddDays(-1), now.AddYears(1));

    var services = new ServiceCollection()
        .AddWalletScheme(o =>
        {
            o.SchemeKey = schemeKey;
            o.AccreditationKey = accreditationKey.PublicKey;
        })
        .AddWalletSqliteStores(o => o.Directory = directory)
        .AddWalletClient(o =>
        {
            o.SchemeKey = schemeKey.PublicKey;
            o.AccreditationKey = accreditationKey.PublicKey;
        })
        .AddWalletProvider(o =>
        {
            o.Record = record;
            o.ReceiptKey = receiptKey;
            o.SchemeKey = schemeKey.PublicKey;
        });
    await using var provider = services.BuildServiceProvider();
    var scheme = provider.GetRequiredService<BenefitScheme>();
    var client = provider.GetRequiredService<ISchemeClient>();
    var till = provider.GetRequiredService<AccreditedProvider>();

    using var rsa = BlindRsaPrivateKey.Generate(2048);
    var keyset = new KeysetDescriptor(1, Amount.FromMinorUnits(500), KeysetDescriptor.GeneralFund, now.AddDays(-1), now.AddDays(30), now.AddDays(30), now.AddDays(40), BlindRsaScheme.Rsabssa, rsa.PublicKey.ExportSubjectPublicKeyInfo());
    await scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{keyset.Id}"), KeysetParameters.Of(keyset), rsa);
    var registry = AccreditationRegistry.Sign(1, now.AddDays(-1), [record], accreditationKey);
    Require(await scheme.PublishRegistryAsync(registry), "registry published");

    using var seed = WalletSeed.Generate();
    using var accountKey = Ed25519SigningKey.Generate();
    var account = new AccountId("worker-1");
    await scheme.RegisterAccountAsync(account, accountKey.PublicKey);
    Require((await scheme.ContributeAsync(new IdempotencyKey("payroll-1"), ContributionSource.Employer, account, Amount.FromMinorUnits(1000))).Succeeded, "contribution");

    using var wallet = provider.GetRequiredService<WalletFactory>().Open(seed, account, accountKey);
    var head = await client.GetTreeHeadAsync();
    Require(wallet.ObserveTreeHead(head, null) == TreeHeadStatus.Accepted, "tree head");
    foreach (var stored in await client.ListKeysetsAsync())
    {
        Require(wallet.TrustKeyset(stored.Announcement, await client.GetInclusionProofAsync(stored.LogIndex, head.TreeSize)), "keyset trusted");
    }

    var withdrawal = wallet.PrepareUniformWithdrawal(new IdempotencyKey("w-1"), Amount.FromMinorUnits(1000)).Request!;
    var issued = await client.WithdrawAsync(withdrawal);
    Require(issued.Status == WithdrawalStatus.Issued && wallet.CompleteWithdrawal(withdrawal, issued.Response!) == WithdrawalCompletion.Completed, "withdrawal");

    var request = await till.CreatePaymentRequestAsync(Amount.FromMinorUnits(500), "dues", TimeSpan.FromHours(1));
    var payment = wallet.PreparePayment(request, registry);
    Require(payment.Status == PaymentPreparationStatus.Ready, "payment prepared");
    Require(await till.VerifyPaymentAsync(request, payment.Spends, [keyset]) == PaymentVerification.Accepted, "payment verified");
    var deposit = (await till.CreateDepositAsync(new IdempotencyKey("d-1")))!;
    var result = await client.DepositAsync(deposit);
    Require(result.Status == DepositStatus.Accepted && (await till.CompleteDepositAsync(deposit, result)).Count == 1, "deposit");
    Require(await scheme.GetProviderBalanceAsync(record.Id) == 500 && wallet.Balance == Amount.FromMinorUnits(500), "balances");
    Console.WriteLine("ROUND TRIP OK: withdrew 10.00, paid 5.00, deposited 5.00");
    return 0;
}
finally
{
    Directory.Delete(directory, recursive: true);
}

static void Require(bool condition, string what)
{
    if (!condition)
    {
        Console.WriteLine($"ROUND TRIP FAILED at: {what}");
        Environment.Exit(1);
    }
}
