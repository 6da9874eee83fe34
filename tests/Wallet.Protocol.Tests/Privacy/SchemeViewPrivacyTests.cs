using System.Security.Cryptography;
using System.Text;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Withdrawals;
using Xunit.Abstractions;

namespace Wallet.Protocol.Tests.Privacy;

/// <summary>
/// Many workers withdraw and pay; everything the scheme receives or stores is captured and searched for anything that
/// links a withdrawal to a deposit.
/// </summary>
public sealed class SchemeViewPrivacyTests(ITestOutputHelper output)
{
    private const int Workers = 12;
    private const int Window = 16;

    [Fact]
    public async Task NothingTheSchemeSeesLinksAWithdrawalToADeposit()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var withdrawals = new List<WithdrawalRequest>();
        var responses = new List<WithdrawalResponse>();
        var accounts = new List<AccountId>();
        for (int w = 0; w < Workers; w++)
        {
            var (wallet, _) = await world.NewWalletAsync($"worker-{w}", 1000);
            accounts.Add(wallet.Account);
            var request = wallet.PrepareWithdrawal(new IdempotencyKey("w"), [world.General100.Id, world.General100.Id, world.General100.Id]);
            var response = (await world.Scheme.WithdrawAsync(request)).Response!;
            Assert.Equal(Protocol.Wallets.WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, response));
            withdrawals.Add(request);
            responses.Add(response);
            await world.PayAsync(wallet, w % 2 == 0 ? world.UnionA : world.UnionB, 100 * (1 + (w % 3)));
        }

        var deposits = new List<DepositRequest>();
        foreach (var provider in new[] { world.UnionA, world.UnionB })
        {
            var (deposit, result) = await world.DepositAsync(provider, "batch");
            Assert.Equal(DepositStatus.Accepted, result.Status);
            deposits.Add(deposit);
        }

        // Withdrawal side: every blinded message and blind signature the scheme received or stored.
        var withdrawalValues = withdrawals.SelectMany(r => r.Items.Select(i => i.BlindedMessage.ToArray()))
            .Concat(responses.SelectMany(r => r.BlindSignatures.Select(s => s.ToArray())))
            .ToList();

        // Deposit side: every coin id, issuer signature and spend the scheme received, stored or logged.
        var depositValues = deposits.SelectMany(d => d.Spends)
            .SelectMany(s => new[] { s.Coin.Id.Bytes.ToArray(), s.Coin.IssuerSignature.ToArray(), s.SpendSignature.ToArray(), s.Encode() })
            .ToList();
        for (ulong i = 0; await world.Scheme.GetLogEntryAsync(i) is { } entry; i++)
        {
            depositValues.Add(entry.Encode());
        }

        var windows = new HashSet<string>(StringComparer.Ordinal);
        foreach (byte[] value in withdrawalValues)
        {
            for (int at = 0; at + Window <= value.Length; at++)
            {
                windows.Add(Convert.ToHexString(value, at, Window));
            }

            windows.Add(Convert.ToHexString(SHA256.HashData(value), 0, Window));
        }

        foreach (byte[] value in depositValues)
        {
            for (int at = 0; at + Window <= value.Length; at++)
            {
                Assert.DoesNotContain(Convert.ToHexString(value, at, Window), windows);
            }
        }

        // No message that names a provider carries a worker identity, and no withdrawal names a provider.
        foreach (var deposit in deposits)
        {
            string text = Encoding.ASCII.GetString(deposit.Encode());
            Assert.DoesNotContain(accounts, a => text.Contains(a.Value, StringComparison.Ordinal));
        }

        foreach (var request in withdrawals)
        {
            string text = Encoding.ASCII.GetString(request.Encode());
            Assert.DoesNotContain("union", text, StringComparison.Ordinal);
        }

        var entries = new List<Protocol.Log.LogEntry>();
        for (ulong i = 0; await world.Scheme.GetLogEntryAsync(i) is { } entry; i++)
        {
            entries.Add(entry);
        }

        var report = new LogAuditor(world.Scheme.PublicKey, world.AccreditationKey.PublicKey).Audit(entries, []);
        Assert.True(report.IsClean);
        foreach (var keyset in report.Keysets)
        {
            output.WriteLine($"keyset {keyset.Keyset}: anonymity set {keyset.Issued} coins issued, {keyset.Spent} spent, {keyset.Outstanding} outstanding");
        }

        Assert.Equal(Workers * 3, report.Keysets.Single(k => k.Keyset == world.General100.Id).Issued);
    }
}
