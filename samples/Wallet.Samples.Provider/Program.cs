// The provider's flow: issue a payment request, verify the worker's coins offline, restart (the verified payments are
// in the provider's SQLite file), deposit the day's payments in one batch, check the scheme's receipt, hand spend
// receipts back; and see a replayed coin refused with a proof. Its web desk serves the same provider over HTTP: a
// published request fetched by its offer code, paid over HTTP, and the receipt handed only to the wallet that proves
// it holds the coins (docs/http.md "Provider endpoint", docs/PROTOCOL.md 5.20).
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Hosting.Wallets;
using Wallet.Protocol;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;

using var schemeKey = Ed25519SigningKey.Generate();
using var accreditationKey = Ed25519SigningKey.Generate();
using var receiptKey = Ed25519SigningKey.Generate();
var now = TimeProvider.System.GetUtcNow();
var record = new ProviderRecord(new AccountId("legal-clinic"), "Employment Rights Clinic", ["legal"], receiptKey.PublicKey, now.AddDays(-1), now.AddYears(1));

// The provider's own service: AddWalletProvider checks at start-up that the receipt key is the accredited one, and its
// state (open requests, verified payments, the deposit in flight, receipts) lives in a SQLite file (0600, directory 0700).
string dataDirectory = Directory.CreateTempSubdirectory("walletcore-provider-").FullName;
ServiceProvider ProviderServices() => new ServiceCollection()
    .AddWalletProvider(o => (o.Record, o.ReceiptKey, o.SchemeKey) = (record, receiptKey, schemeKey.PublicKey))
    .AddWalletSqliteProviderStore(o => o.Path = Path.Combine(dataDirectory, "provider.db"))
    .BuildServiceProvider();
await using var services = new ServiceCollection()
    .AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey) = (schemeKey, accreditationKey.PublicKey))
    .AddWalletClient(o => (o.SchemeKey, o.AccreditationKey) = (schemeKey.PublicKey, accreditationKey.PublicKey))
    .BuildServiceProvider();
var scheme = services.GetRequiredService<BenefitScheme>();
var client = services.GetRequiredService<ISchemeClient>();
var till = ProviderServices();
var clinic = till.GetRequiredService<AccreditedProvider>();

// A keyset and a worker with coins (see Wallet.Samples.WalletApp for the wallet side in detail).
using var rsa = BlindRsaPrivateKey.Generate(2048);
var keyset = new KeysetDescriptor(1, Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, now.AddDays(-1), now.AddDays(30), now.AddDays(30), now.AddDays(40), BlindRsaScheme.Rsabssa, rsa.PublicKey.ExportSubjectPublicKeyInfo());
await scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{keyset.Id}"), KeysetParameters.Of(keyset), rsa);
var registry = AccreditationRegistry.Sign(1, now.AddDays(-1), [record], accreditationKey);
await scheme.PublishRegistryAsync(registry);
using var seed = WalletSeed.Generate();
using var accountKey = Ed25519SigningKey.Generate();
var account = new AccountId("worker-7");
await scheme.RegisterAccountAsync(account, accountKey.PublicKey);
await scheme.ContributeAsync(new IdempotencyKey("payroll-1"), ContributionSource.Employer, account, Amount.FromMinorUnits(600));
using var wallet = services.GetRequiredService<WalletFactory>().Open(seed, account, accountKey);
var head = await client.GetTreeHeadAsync();
wallet.ObserveTreeHead(head, null);
var stored = (await client.ListKeysetsAsync()).Single();
wallet.TrustKeyset(stored.Announcement, await client.GetInclusionProofAsync(stored.LogIndex, head.TreeSize));
var withdrawal = wallet.PrepareUniformWithdrawal(new IdempotencyKey("w-1"), Amount.FromMinorUnits(600)).Request!;
wallet.CompleteWithdrawal(withdrawal, (await client.WithdrawAsync(withdrawal)).Response!);
var coins = wallet.Coins.ToDictionary(c => c.Coin.Id);

// --- At the counter: a signed request; the worker's spends are checked offline (issuer and spend signatures, fund, sum). ---
var appointments = new[] { 300L, 200L };
foreach (long price in appointments)
{
    var request = await clinic.CreatePaymentRequestAsync(Amount.FromMinorUnits(price), "advice session", TimeSpan.FromMinutes(15));
    var payment = wallet.PreparePayment(request, registry);
    Console.WriteLine($"payment of {price}: {(await clinic.VerifyPaymentAsync(request, payment.Spends, [keyset]))} ({payment.Spends.Count} coins)");
}

// --- The till restarts: nothing is lost, the verified payments wait in its file. ---
await till.DisposeAsync();
await using var restarted = ProviderServices();
clinic = restarted.GetRequiredService<AccreditedProvider>();

// --- The web desk: the clinic publishes a request; the worker's wallet fetches it by its short code and pays over HTTP. ---
var web = WebApplication.CreateSlimBuilder();
web.Logging.ClearProviders();
web.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
await using var desk = web.Build();
desk.MapWalletProvider(clinic, client);
await desk.StartAsync();
string deskAddress = desk.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
using var http = new HttpClient();
var provider = new HttpProviderClient(http, new HttpSchemeClientOptions { BaseAddress = new Uri(deskAddress + "/provider/") });
var offer = await clinic.PublishPaymentRequestAsync(Amount.FromMinorUnits(100), "document review", TimeSpan.FromMinutes(15));
var fetched = (await provider.GetPaymentOfferAsync(offer.Code))!;
var online = wallet.PreparePayment(fetched, registry);
Console.WriteLine($"offer {offer.Code}: \"{fetched.Details!.Purpose}\", paid over HTTP: {await provider.SubmitPaymentAsync(fetched, online.Spends)}");

// --- End of day: one deposit batch; the receipt is checked (scheme signature, tree head, inclusion proof); each
// payment is paid (a spend receipt the wallet can fetch) or dropped with the scheme's reason. ---
var batch = (await clinic.CreateDepositAsync(new IdempotencyKey("day-1")))!;
var result = await client.DepositAsync(batch);
var receipts = await clinic.CompleteDepositAsync(batch, result);
Console.WriteLine($"deposit: {result.Status}, {result.Receipt!.CoinCount} coins, {result.Receipt.Total} credited, log entry {result.Receipt.LogIndex}; {receipts.Count} spend receipts for the workers");

// --- The wallet asks for its receipt by proving it holds the payment's coins (each coin key signs a fresh nonce). ---
var mine = await provider.GetSpendReceiptAsync(() => wallet.ProveHolding(fetched.Id));
bool kept = mine?.Receipt is { } receipt && wallet.AcceptSpendReceipt(receipt, fetched, registry);
var stranger = HolderProof.Sign(HolderProofPurpose.SpendReceipt, record.Id, fetched.Id, TimeProvider.System.GetUtcNow(), [accountKey]);
var refused = await RefusalOf(() => provider.GetSpendReceiptAsync(stranger));
var closed = await RefusalOf(() => provider.GetPaymentOfferAsync(offer.Code));
Console.WriteLine($"receipt over HTTP: {mine?.Status}, kept by the wallet: {kept}; a proof without the coins: {refused}; the offer now: {closed}");

// --- A coin already deposited is signed over again: the deposit is refused with a proof anyone can check. ---
var spentCoin = coins[batch.Spends[0].Coin.Id];
var replay = await clinic.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "advice session", TimeSpan.FromMinutes(15));
using var secrets = seed.DeriveCoin(spentCoin.Coin.Keyset.Bytes, spentCoin.Counter);
var forged = await client.DepositAsync(new DepositRequest(record.Id, new IdempotencyKey("day-2"), [CoinSpend.Sign(spentCoin.Coin, replay, secrets.SigningKey)]));
Console.WriteLine($"replayed coin: {forged.Status}, proof verifies: {forged.DoubleSpendProofs.All(p => p.Verify())}");
Console.WriteLine($"first payment at the till: {(await clinic.GetPaymentStatusAsync(receipts[0].Request.Id)).Status}");
await desk.StopAsync();
await restarted.DisposeAsync();
Directory.Delete(dataDirectory, recursive: true);
return result.Status == DepositStatus.Accepted && forged.Status == DepositStatus.DoubleSpend && kept && refused.EndsWith("holder-proof-refused", StringComparison.Ordinal) ? 0 : 1;

// The problem type a call was refused with.
static async Task<string> RefusalOf(Func<Task> call)
{
    try
    {
        await call();
        return "answered";
    }
    catch (SchemeHttpException ex)
    {
        return $"{(int?)ex.StatusCode} {ex.ProblemType}";
    }
}
