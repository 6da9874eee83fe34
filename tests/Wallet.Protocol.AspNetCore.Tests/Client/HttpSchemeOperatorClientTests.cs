using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.Client;

/// <summary>Every operator operation over real HTTP gives what the scheme gives in process.</summary>
public sealed class HttpSchemeOperatorClientTests
{
    [Fact]
    public async Task EveryOperatorOperationRoundTripsOverHttp()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var world = op.World;
            ISchemeOperator client = op.Client();
            ISchemeOperator local = world.Scheme;

            Assert.Equal(world.Scheme.PublicKey, await client.GetPublicKeyAsync());

            // Accounts and payroll.
            var (wallet, _) = await world.NewWalletAsync("worker-op", 0);
            using var newKey = Ed25519SigningKey.Generate();
            await client.RegisterAccountAsync(new AccountId("worker-other"), newKey.PublicKey);
            var credited = await client.ContributeAsync(new IdempotencyKey("op-pay-1"), ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(1200));
            Assert.True(credited.Succeeded);
            Assert.False(credited.IsReplay);
            // A retry is answered with the stored result, and credits nothing more.
            Assert.Equal(credited, await client.ContributeAsync(new IdempotencyKey("op-pay-1"), ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(1200)));
            Assert.Equal(1200, await client.GetBalanceAsync(LedgerAccount.Worker(wallet.Account)));

            // A keyset announced from parameters: the server generated the key, and it issues with it.
            var parameters = new KeysetParameters(2, Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, ProtocolWorld.Start, ProtocolWorld.Start.AddDays(30), ProtocolWorld.Start.AddDays(60), ProtocolWorld.Start.AddDays(90));
            var announced = await client.AnnounceKeysetAsync(new IdempotencyKey("keyset-2-general-100"), parameters);
            Assert.Equal(parameters.Describe(announced.Announcement.Descriptor.PublicKey).Id, announced.Announcement.Descriptor.Id);
            Assert.True(announced.Announcement.Verify(world.Scheme.PublicKey));
            var retried = await client.AnnounceKeysetAsync(new IdempotencyKey("keyset-2-general-100"), parameters);
            Assert.Equal(announced.Announcement.Descriptor.Id, retried.Announcement.Descriptor.Id);
            Assert.Equal(announced.LogIndex, retried.LogIndex);
            var reused = await Assert.ThrowsAsync<SchemeHttpException>(() => client.AnnounceKeysetAsync(new IdempotencyKey("keyset-2-general-100"), new KeysetParameters(3, Amount.FromMinorUnits(100), "general", ProtocolWorld.Start, ProtocolWorld.Start, ProtocolWorld.Start, ProtocolWorld.Start)));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
            await world.SyncAsync(wallet);
            await world.WithdrawAsync(wallet, "op-withdraw", announced.Announcement.Descriptor, announced.Announcement.Descriptor);
            Assert.Equal(1000, await client.GetBalanceAsync(LedgerAccount.Worker(wallet.Account)));
            Assert.Equal(200, (await client.GetKeysetTotalsAsync(announced.Announcement.Descriptor.Id)).Issued.MinorUnits);

            // Registry and table: signed by the accreditation body; a stranger's signature is refused as a result.
            var registry = AccreditationRegistry.Sign(2, ProtocolWorld.Start, world.Registry.Providers, world.AccreditationKey);
            Assert.True(await client.PublishRegistryAsync(registry));
            using var stranger = Ed25519SigningKey.Generate();
            Assert.False(await client.PublishRegistryAsync(AccreditationRegistry.Sign(3, ProtocolWorld.Start, world.Registry.Providers, stranger)));
            var table = DefaultAllocationTable.Sign(1, ProtocolWorld.Start.AddDays(-1), [new DefaultAllocationRule("*", "*", world.UnionA.Record.Id)], world.AccreditationKey);
            Assert.True(await client.PublishAllocationTableAsync(table));
            Assert.Equal(2, (await world.Scheme.ListRegistriesAsync()).Count);

            // Expiry and default allocation after the deposit window.
            Assert.Null(await client.ExpireKeysetAsync(announced.Announcement.Descriptor.Id));
            world.Time.Advance(TimeSpan.FromDays(91));
            var expiry = await client.ExpireKeysetAsync(announced.Announcement.Descriptor.Id);
            Assert.NotNull(expiry);
            Assert.Equal(200, expiry.Value.MinorUnits);
            var expired = await client.AllocateExpiredAsync(announced.Announcement.Descriptor.Id);
            Assert.NotNull(expired);
            Assert.Equal(200, expired.Total.MinorUnits);
            var round = await client.AllocateUnwithdrawnAsync("round-1", [new DefaultAllocationInput(wallet.Account, "care", "north")]);
            Assert.NotNull(round);
            Assert.Equal(1000, round.Total.MinorUnits);
            Assert.Equal(0, await client.GetBalanceAsync(LedgerAccount.Worker(wallet.Account)));
            Assert.Equal(await local.GetBalanceAsync(LedgerAccount.Provider(world.UnionA.Record.Id)), await client.GetBalanceAsync(LedgerAccount.Provider(world.UnionA.Record.Id)));
            Assert.Equal(await local.GetKeysetTotalsAsync(world.General100.Id), await client.GetKeysetTotalsAsync(world.General100.Id));

            var remote = await client.VerifyLedgerAsync();
            var inProcess = await local.VerifyLedgerAsync();
            Assert.True(remote.IsValid);
            Assert.Equal(inProcess.EntryCount, remote.EntryCount);
            Assert.Equal(inProcess.Head, remote.Head);
            Assert.Equal(inProcess.AccountCount, remote.AccountCount);
        }
    }

    [Fact]
    public async Task ReversalOfARevokedKeysetOverHttpReturnsTheUnissuedDebit()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var world = op.World;
            ISchemeOperator client = op.Client();
            var keyset = world.General100.Id;
            var (wallet, _) = await world.NewWalletAsync("worker-rev", 300);
            var request = wallet.PrepareWithdrawal(new IdempotencyKey("lost"), [keyset, keyset]);
            // The debit committed and nothing more (a crash before signing), under the scheme's ledger key for the request.
            var ledgerKey = new IdempotencyKey("w-" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes($"{request.Account.Value}\n{request.IdempotencyKey.Value}"))));
            Assert.True((await world.Ledger.WithdrawAsync(ledgerKey, request.Account, [new KeysetAmount(keyset, world.General100.Denomination), new KeysetAmount(keyset, world.General100.Denomination)])).Succeeded);

            Assert.Null(await client.ReverseUnissuedWithdrawalsAsync(keyset));
            Assert.True(await world.Scheme.RevokeKeysetAsync(keyset));
            var summary = await client.ReverseUnissuedWithdrawalsAsync(keyset);

            Assert.Equal(new WithdrawalReversalSummary(keyset, 1, Amount.FromMinorUnits(200)), summary);
            Assert.Equal(summary, await client.ReverseUnissuedWithdrawalsAsync(keyset));
            Assert.Equal(300, await client.GetBalanceAsync(LedgerAccount.Worker(wallet.Account)));
            Assert.Equal(200, (await client.GetKeysetTotalsAsync(keyset)).Reversed.MinorUnits);
            Assert.True((await client.VerifyLedgerAsync()).IsValid);
        }
    }

    [Fact]
    public async Task ALedgerCheckpointOverHttpIsTheSchemesOwnAndLoggedOncePerKey()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var world = op.World;
            ISchemeOperator client = op.Client();
            var keyset = world.General100.Id;
            var (wallet, _) = await world.NewWalletAsync("worker-cp", 300);
            await world.WithdrawAsync(wallet, "cp-withdraw", world.General100);
            var request = wallet.PrepareWithdrawal(new IdempotencyKey("pending"), [keyset]);
            // A debit committed and not yet logged (docs/PROTOCOL.md 5.15): the server answers "none" and logs nothing.
            var ledgerKey = new IdempotencyKey("w-" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes($"{request.Account.Value}\n{request.IdempotencyKey.Value}"))));
            Assert.True((await world.Ledger.WithdrawAsync(ledgerKey, request.Account, [new KeysetAmount(keyset, world.General100.Denomination)])).Succeeded);
            ulong size = (await world.Scheme.GetTreeHeadAsync()).TreeSize;

            Assert.Null(await client.LogLedgerCheckpointAsync(new IdempotencyKey("cp-pending")));
            Assert.Equal(size, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
            Assert.Equal(Wallet.Protocol.Withdrawals.WithdrawalStatus.Issued, (await world.Scheme.WithdrawAsync(request)).Status);
            var record = await client.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1"));
            var again = await client.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1"));

            Assert.NotNull(record);
            Assert.True(record.Verify(world.Scheme.PublicKey));
            Assert.Equal(record.Encode(), again!.Encode());
            Assert.Equal(record.Encode(), (await world.Scheme.GetLogEntryAsync(record.LogSize))!.LedgerCheckpoint!.Encode());
            Assert.Equal(size + 2, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
            Assert.Equal(200, record.TotalOf(Wallet.Protocol.Log.LedgerTotalKind.Outstanding));
        }
    }

    [Fact]
    public async Task TheOperatorKeyNeverAppearsInTextTheClientShows()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            string wrong = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            var options = new HttpSchemeOperatorClientOptions { Transport = new HttpSchemeClientOptions { BaseAddress = op.OperatorAddress }, OperatorKey = wrong };
            var client = op.Client(wrong);
            var error = await Assert.ThrowsAsync<SchemeHttpException>(() => client.GetPublicKeyAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
            Assert.Equal(Binding.ProblemTypes.Unauthorized, error.ProblemType);
            foreach (string text in new[] { client.ToString(), options.ToString(), error.ToString(), op.Client().ToString() })
            {
                Assert.DoesNotContain(wrong, text, StringComparison.Ordinal);
                Assert.DoesNotContain(op.Key, text, StringComparison.Ordinal);
            }

            // A malformed key is refused before anything is sent, and the refusal does not quote it.
            var badOptions = new HttpSchemeOperatorClientOptions { Transport = new HttpSchemeClientOptions { BaseAddress = op.OperatorAddress }, OperatorKey = "short-secret-value" };
            var refused = Assert.Throws<ArgumentException>(() => new HttpSchemeOperatorClient(op.Server.Http, badOptions));
            Assert.DoesNotContain("short-secret-value", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RegistrationResolvesAnOperatorClientThatReachesTheServer()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var services = new ServiceCollection();
            services.AddHttpSchemeOperatorClient(o =>
            {
                o.Transport.BaseAddress = op.OperatorAddress;
                o.OperatorKey = op.Key;
            });
            await using var provider = services.BuildServiceProvider();
            var client = provider.GetRequiredService<ISchemeOperator>();
            Assert.IsType<HttpSchemeOperatorClient>(client);
            Assert.Equal(op.World.Scheme.PublicKey, await client.GetPublicKeyAsync());
        }
    }
}
