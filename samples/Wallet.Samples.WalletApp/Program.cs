// The wallet developer's flow: install, back up, sync with the log, withdraw uniformly, pay a provider, lose the
// phone, restore from the backup code. The scheme runs in process here (AddWalletScheme); a real app reaches the same
// ISchemeClient over HTTP.
using Microsoft.Extensions.DependencyInjection;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Hosting.Wallets;
using Wallet.Protocol;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Wallets;

// --- The scheme and a union, as they would exist before the app is installed. ---
using var schemeKey = Ed25519SigningKey.Generate();
using var accreditationKey = Ed25519SigningKey.Generate();
using var unionKey = Ed25519SigningKey.Generate();
var now = TimeProvider.System.GetUtcNow();
var union = new ProviderRecord(new AccountId("union-a"), "Union A", ["union"], unionKey.PublicKey, now.AddDays(-1), now.AddYears(1));
await using var services = new ServiceCollection()
    .AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey) = (schemeKey, accreditationKey.PublicKey))
    .AddWalletClient(o => (o.SchemeKey, o.AccreditationKey) = (schemeKey.PublicKey, accreditationKey.PublicKey))
    .BuildServiceProvider();
var scheme = services.GetRequiredService<BenefitScheme>();
using var rsa = BlindRsaPrivateKey.Generate(2048);
var keyset = new KeysetDescriptor(1, Amount.FromMinorUnits(500), KeysetDescriptor.GeneralFund, now.AddDays(-1), now.AddDays(30), now.AddDays(30), now.AddDays(40), BlindRsaScheme.Rsabssa, rsa.PublicKey.ExportSubjectPublicKeyInfo());
await scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{keyset.Id}"), KeysetParameters.Of(keyset), rsa);
var registry = AccreditationRegistry.Sign(1, now.AddDays(-1), [union], accreditationKey);
await scheme.PublishRegistryAsync(registry);
var unionTill = new AccreditedProvider(union, unionKey, schemeKey.PublicKey, TimeProvider.System);

// --- Install: a seed whose backup code the worker writes down, and an account key registered with the scheme. ---
var client = services.GetRequiredService<ISchemeClient>();
var account = new AccountId("worker-42");
using var seed = WalletSeed.Generate();
string backupCode = seed.ToBackupCode();
using var accountKey = Ed25519SigningKey.Generate();
await scheme.RegisterAccountAsync(account, accountKey.PublicKey);
await scheme.ContributeAsync(new IdempotencyKey("payroll-1"), new AccountId("employer-7"), ContributionSource.Employer, account, Amount.FromMinorUnits(1500));

using var wallet = services.GetRequiredService<WalletFactory>().Open(seed, account, accountKey);
await SyncAsync(wallet);

// --- Ask for the statement (signed by the account key, answered by the scheme) and check it against the receipts. ---
var ask = wallet.PrepareStatementRequest(now.AddDays(-1), now.AddDays(1));
var statement = (await client.GetStatementAsync(ask)).Statement!;
var askReceipts = wallet.PrepareReceiptsRequest(now.AddDays(-1), now.AddDays(1));
var receipts = (await client.GetContributionReceiptsAsync(askReceipts)).Receipts;
var reconciled = wallet.ReconcileStatement(ask, statement, askReceipts, receipts);
Console.WriteLine($"statement: general balance {statement.GeneralBalance}, {reconciled.Status} with {receipts.Count} receipt(s), paid by {string.Join(", ", reconciled.Totals.Select(t => $"{t.Contributor} ({t.Source}) {t.Total}"))}");

// --- Withdraw the whole balance the statement shows, in the canonical split: withdrawals then say nothing about intent. ---
var withdrawal = wallet.PrepareUniformWithdrawal(new IdempotencyKey("withdraw-1"), ask, statement).Request!;
var issued = await client.WithdrawAsync(withdrawal);
Console.WriteLine($"withdrawal: {issued.Status}, completion: {wallet.CompleteWithdrawal(withdrawal, issued.Response!)}, balance {wallet.Balance}");

// --- Pay union dues: the wallet checks the registry and the request, then signs exact coins over to it. ---
var request = await unionTill.CreatePaymentRequestAsync(Amount.FromMinorUnits(500), "monthly dues", TimeSpan.FromMinutes(15));
var payment = wallet.PreparePayment(request, registry);
Console.WriteLine($"payment: {payment.Status}, union's offline check: {(await unionTill.VerifyPaymentAsync(request, payment.Spends, [keyset]))}, balance {wallet.Balance}");

// --- The phone is lost: a new phone takes the backup code and recovers the unspent coins from the scheme. ---
using var restoredSeed = WalletSeed.ParseBackupCode(backupCode);
using var newAccountKey = Ed25519SigningKey.Generate();
await scheme.RegisterAccountAsync(account, newAccountKey.PublicKey);
using var restored = services.GetRequiredService<WalletFactory>().Open(restoredSeed, account, newAccountKey);
await SyncAsync(restored);
var blinded = restored.PrepareRestore(keyset.Id, 0, 16);
restored.CompleteRestore(keyset.Id, 0, await client.FindBlindSignaturesAsync(blinded));
var coins = restored.Coins.Select(c => c.Coin.Id).ToList();
restored.MarkSpent(coins, await client.AreSpentAsync(coins));

// The payment was handed to the union but not yet deposited, so the scheme cannot know it is spent: the restored
// wallet shows it until the union deposits (spending it again would be a provable double spend).
Console.WriteLine($"restored: {restored.Coins.Count} coins, balance {restored.Balance} (the lost phone had {wallet.Balance} plus the undeposited payment)");
return restored.Coins.Count == 3 ? 0 : 1;

async Task SyncAsync(WorkerWallet w)
{
    var head = await client.GetTreeHeadAsync();
    w.ObserveTreeHead(head, null);
    foreach (var stored in await client.ListKeysetsAsync())
    {
        w.TrustKeyset(stored.Announcement, await client.GetInclusionProofAsync(stored.LogIndex, head.TreeSize));
    }
}
