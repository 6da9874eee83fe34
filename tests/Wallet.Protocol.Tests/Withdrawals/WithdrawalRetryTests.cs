using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Withdrawals;
using WalletsCompletion = Wallet.Protocol.Wallets.WithdrawalCompletion;

namespace Wallet.Protocol.Tests.Withdrawals;

/// <summary>
/// A withdrawal always finishes once its debit is committed (a retry replays the debit first, then signs), and the
/// same idempotency key with another body is refused even when both race past the first replay check.
/// </summary>
public sealed class WithdrawalRetryTests
{
    [Fact]
    public async Task ARetryAfterARestartReplaysTheStoredWithdrawalOnceTheKeyIsBack()
    {
        var (ledgerStore, schemeStore, logStore) = (new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        using var world = await ProtocolWorld.CreateAsync(ledgerStore, schemeStore, logStore);
        var (wallet, _) = await world.NewWalletAsync("w-restart", 300);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("restart-1"), [world.General100.Id, world.General100.Id]);
        var first = await world.Scheme.WithdrawAsync(request);
        Assert.Equal(WithdrawalStatus.Issued, first.Status);

        var restarted = Restart(world, ledgerStore, schemeStore, logStore);
        await restarted.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{world.General100.Id}"), KeysetParameters.Of(world.General100), ProtocolKeys.Rsa2048);
        var retried = await restarted.WithdrawAsync(WithdrawalRequest.Decode(request.Encode()));

        Assert.Equal(WithdrawalStatus.Issued, retried.Status);
        Assert.Equal(first.Response!.Encode(), retried.Response!.Encode());
        Assert.Equal(100, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(request.Account)));
    }

    [Fact]
    public async Task ADebitCommittedBeforeACrashIsFinishedAfterTheRestartEvenPastTheWithdrawalWindow()
    {
        var (ledgerStore, schemeStore, logStore) = (new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        using var world = await ProtocolWorld.CreateAsync(ledgerStore, schemeStore, logStore);
        var (wallet, _) = await world.NewWalletAsync("w-crash", 300);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("crash-1"), [world.General100.Id, world.General100.Id]);

        // The crash point "after debit": the ledger committed the debit, nothing was signed, logged or stored.
        var ledgerKey = SchemeContext.LedgerKey("w", request.Account.Value, request.IdempotencyKey);
        var coins = request.Items.Select(_ => new KeysetAmount(world.General100.Id, world.General100.Denomination)).ToArray();
        Assert.Equal(LedgerStatus.Applied, (await world.Ledger.WithdrawAsync(ledgerKey, request.Account, coins)).Status);

        // After the restart, before the operator attaches the key: the debit stays, and the answer says to come back.
        var restarted = Restart(world, ledgerStore, schemeStore, logStore);
        var early = await restarted.WithdrawAsync(WithdrawalRequest.Decode(request.Encode()));
        Assert.Equal(WithdrawalStatus.SigningKeyUnavailable, early.Status);
        Assert.Equal(100, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(request.Account)));

        // The key is back, and the withdrawal window has closed meanwhile: the paid withdrawal is still issued.
        await restarted.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{world.General100.Id}"), KeysetParameters.Of(world.General100), ProtocolKeys.Rsa2048);
        world.Time.SetUtcNow(world.General100.WithdrawUntil.AddDays(1));
        var retried = await restarted.WithdrawAsync(WithdrawalRequest.Decode(request.Encode()));
        Assert.Equal(WithdrawalStatus.Issued, retried.Status);
        Assert.True(retried.Response!.Receipt.Verify(request, world.SchemeKey.PublicKey));
        Assert.Equal(WalletsCompletion.Completed, wallet.CompleteWithdrawal(request, retried.Response));

        var again = await restarted.WithdrawAsync(WithdrawalRequest.Decode(request.Encode()));
        Assert.Equal(retried.Response.Encode(), again.Response!.Encode());
        Assert.Equal(100, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(request.Account)));
        Assert.Equal(200, await world.Ledger.GetBalanceAsync(LedgerAccount.Outstanding(world.General100.Id)));
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBodySentConcurrentlyIsRefusedAndNeverGetsTheWinnersReceipt()
    {
        // Both bodies of a pair pass the first replay check before either goes on, as when two requests arrive together.
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), RendezvousStore.Over(new InMemorySchemeStore()), new InMemoryMerkleLogStore());
        using var accountKey = Ed25519SigningKey.Generate();
        var account = new AccountId("w-race");
        const int pairs = 48;
        await world.Scheme.RegisterAccountAsync(account, accountKey.PublicKey);
        Assert.True((await world.Scheme.ContributeAsync(new IdempotencyKey("race-funds"), ContributionSource.Employer, account, Amount.FromMinorUnits(100 * pairs))).Succeeded);

        using var gate = new SemaphoreSlim(8);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, pairs).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var key = new IdempotencyKey($"race-{i}");
                var a = Request(world, account, key, accountKey);
                var b = Request(world, account, key, accountKey);
                var results = await Task.WhenAll(Task.Run(() => world.Scheme.WithdrawAsync(a)), Task.Run(() => world.Scheme.WithdrawAsync(b)));
                return (Requests: new[] { a, b }, Results: results);
            }
            finally
            {
                gate.Release();
            }
        }));

        foreach (var (requests, results) in outcomes)
        {
            Assert.Single(results, r => r.Status == WithdrawalStatus.Issued);
            Assert.Single(results, r => r.Status == WithdrawalStatus.IdempotencyKeyReused);
            for (int i = 0; i < 2; i++)
            {
                if (results[i].Status == WithdrawalStatus.Issued)
                {
                    Assert.True(results[i].Response!.Receipt.Verify(requests[i], world.SchemeKey.PublicKey));
                }
            }
        }

        Assert.Equal(0, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(account)));
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    private static BenefitScheme Restart(ProtocolWorld world, InMemoryLedgerStore ledgerStore, InMemorySchemeStore schemeStore, InMemoryMerkleLogStore logStore) =>
        new(world.SchemeKey, world.AccreditationKey.PublicKey, new SchemeLedger(ledgerStore, world.Time), schemeStore, logStore, world.Time);

    // A fresh random value below the modulus each time: two bodies under one key differ only in their blinded message.
    private static WithdrawalRequest Request(ProtocolWorld world, AccountId account, IdempotencyKey key, Ed25519SigningKey accountKey)
    {
        byte[] blinded = RandomNumberGenerator.GetBytes(ProtocolKeys.Rsa2048.PublicKey.ModulusBits / 8);
        blinded[0] = 0x01;
        return WithdrawalRequest.Sign(account, key, [new WithdrawalItem(world.General100.Id, BlindedMessage.FromBytes(blinded))], world.Time.GetUtcNow(), accountKey);
    }

    /// <summary>A scheme store whose first two withdrawal look-ups per idempotency key wait for each other.</summary>
    public class RendezvousStore : DispatchProxy
    {
        private readonly ConcurrentDictionary<string, (TaskCompletionSource Both, int[] Count)> _keys = new();
        private ISchemeStore _inner = null!;

        public static ISchemeStore Over(ISchemeStore inner)
        {
            var store = Create<ISchemeStore, RendezvousStore>();
            ((RendezvousStore)(object)store)._inner = inner;
            return store;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (targetMethod.Name == nameof(IWithdrawalStore.GetWithdrawalAsync))
            {
                var key = $"{((AccountId)args![0]!).Value}/{((IdempotencyKey)args[1]!).Value}";
                var entry = _keys.GetOrAdd(key, _ => (new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new int[2]));
                if (Interlocked.Increment(ref entry.Count[0]) <= 2)
                {
                    // Read first, then wait: both look-ups see the store as it was before either request went on.
                    var found = _inner.GetWithdrawalAsync((AccountId)args[0]!, (IdempotencyKey)args[1]!, (CancellationToken)args[2]!);
                    return AfterBothAsync(entry, found);
                }
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }

        private static async ValueTask<StoredWithdrawal?> AfterBothAsync((TaskCompletionSource Both, int[] Count) entry, ValueTask<StoredWithdrawal?> found)
        {
            var result = await found;
            if (Interlocked.Increment(ref entry.Count[1]) == 2)
            {
                entry.Both.TrySetResult();
            }

            await entry.Both.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return result;
        }
    }
}
