// The researcher's flow: with only the scheme's and the accreditation body's public keys, download the transparency
// log, check every tree head collected along the way, replay every entry, and prove the log only ever grew.
using Microsoft.Extensions.DependencyInjection;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Hosting.Wallets;
using Wallet.Protocol;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;

// --- Some scheme activity to audit: a keyset, a registry, three workers withdrawing. ---
using var schemeKey = Ed25519SigningKey.Generate();
using var accreditationKey = Ed25519SigningKey.Generate();
using var receiptKey = Ed25519SigningKey.Generate();
var now = TimeProvider.System.GetUtcNow();
await using var services = new ServiceCollection()
    .AddWalletScheme(o => (o.SchemeKey, o.AccreditationKey) = (schemeKey, accreditationKey.PublicKey))
    .AddWalletClient(o => (o.SchemeKey, o.AccreditationKey) = (schemeKey.PublicKey, accreditationKey.PublicKey))
    .BuildServiceProvider();
var scheme = services.GetRequiredService<BenefitScheme>();
var client = services.GetRequiredService<ISchemeClient>();
using var rsa = BlindRsaPrivateKey.Generate(2048);
var keyset = new KeysetDescriptor(1, Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, now.AddDays(-1), now.AddDays(30), now.AddDays(30), now.AddDays(40), BlindRsaScheme.Rsabssa, rsa.PublicKey.ExportSubjectPublicKeyInfo());
await scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{keyset.Id}"), KeysetParameters.Of(keyset), rsa);
var record = new ProviderRecord(new AccountId("union-a"), "Union A", ["union"], receiptKey.PublicKey, now.AddDays(-1), now.AddYears(1));
await scheme.PublishRegistryAsync(AccreditationRegistry.Sign(1, now.AddDays(-1), [record], accreditationKey));

var heads = new List<SignedTreeHead> { await client.GetTreeHeadAsync() };
for (int i = 1; i <= 3; i++)
{
    using var seed = WalletSeed.Generate();
    using var accountKey = Ed25519SigningKey.Generate();
    var account = new AccountId($"worker-{i}");
    await scheme.RegisterAccountAsync(account, accountKey.PublicKey);
    await scheme.ContributeAsync(new IdempotencyKey($"payroll-{i}"), ContributionSource.Employer, account, Amount.FromMinorUnits(300));
    using var wallet = services.GetRequiredService<WalletFactory>().Open(seed, account, accountKey);
    var head = await client.GetTreeHeadAsync();
    wallet.ObserveTreeHead(head, null);
    var stored = (await client.ListKeysetsAsync()).Single();
    wallet.TrustKeyset(stored.Announcement, await client.GetInclusionProofAsync(stored.LogIndex, head.TreeSize));
    var request = wallet.PrepareUniformWithdrawal(new IdempotencyKey("w"), Amount.FromMinorUnits(300)).Request!;
    wallet.CompleteWithdrawal(request, (await client.WithdrawAsync(request)).Response!);
    heads.Add(await client.GetTreeHeadAsync());
}

// --- The audit needs nothing but the two public keys and the scheme client. ---
var entries = new List<LogEntry>();
for (ulong i = 0; await client.GetLogEntryAsync(i) is { } entry; i++)
{
    entries.Add(entry);
}

var report = new LogAuditor(schemeKey.PublicKey, accreditationKey.PublicKey).Audit(entries, heads);
Console.WriteLine($"replayed {report.EntriesChecked} entries against {heads.Count} tree heads: {(report.IsClean ? "clean" : $"{report.Violations.Count} violations")}");
foreach (var k in report.Keysets)
{
    Console.WriteLine($"keyset {k.Keyset}: {k.Issued} coins issued, {k.Spent} spent, {k.Outstanding} outstanding");
}

// The log is append-only: the first head is a prefix of the last (RFC 9162 section 2.1.4).
var consistency = await client.GetConsistencyProofAsync(heads[0].TreeSize, heads[^1].TreeSize);
bool grewOnly = consistency.Verify(heads[0], heads[^1]);
Console.WriteLine($"tree size {heads[0].TreeSize} -> {heads[^1].TreeSize}: consistency proof {(grewOnly ? "verifies" : "FAILS")}");
return report.IsClean && grewOnly ? 0 : 1;
