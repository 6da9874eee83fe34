using Wallet.Crypto.Merkle;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Recovery;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Swaps;

/// <summary>
/// A swap the ledger took before a crash always finishes: a retry before the outputs' keys are loaded is told to come
/// back (nothing moves twice), and once they are, it is answered even after the windows have closed meanwhile.
/// </summary>
public sealed class SwapRetryTests
{
    [Fact]
    public async Task ASwapCommittedBeforeACrashIsAnsweredAfterTheRestartOnceTheKeysAreBack()
    {
        var (ledgerStore, schemeStore, logStore) = (new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        using var world = await ProtocolWorld.CreateAsync(ledgerStore, schemeStore, logStore);
        var (wallet, _) = await world.NewWalletAsync("w-swap-crash", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        var request = wallet.PrepareChange(new IdempotencyKey("swap-crash-1"), Amount.FromMinorUnits(100), [world.General100.Id]).Request!;

        // The crash point "after debit": the ledger took the swap; nothing was signed, logged or stored.
        var storeKey = SchemeContext.LedgerKey("s", "swap", request.IdempotencyKey);
        var spent = request.Inputs.Select(c => new SpentCoin(c.Id, c.Keyset, world.General500.Denomination)).ToArray();
        var issued = request.Outputs.Select(o => new KeysetAmount(o.Keyset, world.AllKeysets.Single(k => k.Id == o.Keyset).Denomination)).ToArray();
        Assert.Equal(LedgerStatus.Applied, (await world.Ledger.SwapAsync(storeKey, spent, issued)).Status);
        long outstandingAfterCommit = await world.Ledger.GetBalanceAsync(LedgerAccount.Outstanding(world.General100.Id));

        // Restarted, keys not attached yet: the answer says to come back, and the ledger does not move again.
        var restarted = new BenefitScheme(world.SchemeKey, world.AccreditationKey.PublicKey, new SchemeLedger(ledgerStore, world.Time), schemeStore, logStore, world.Time);
        var early = await restarted.SwapAsync(SwapRequest.Decode(request.Encode()));
        Assert.Equal(SwapStatus.SigningKeyUnavailable, early.Status);
        Assert.Null(early.Response);
        Assert.Equal(outstandingAfterCommit, await world.Ledger.GetBalanceAsync(LedgerAccount.Outstanding(world.General100.Id)));

        // The keys are back and every window has closed meanwhile: the paid swap is still answered, exactly once.
        foreach (var (keyset, key) in new[] { (world.General100, ProtocolKeys.Rsa2048), (world.General500, ProtocolKeys.Rsa3072) })
        {
            await restarted.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{keyset.Id}"), KeysetParameters.Of(keyset), key);
        }

        world.Time.SetUtcNow(world.General500.SpendUntil.AddSeconds(1));
        var retried = await restarted.SwapAsync(SwapRequest.Decode(request.Encode()));
        Assert.Equal(SwapStatus.Swapped, retried.Status);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteSwap(request, retried.Response!));

        var again = await restarted.SwapAsync(SwapRequest.Decode(request.Encode()));
        Assert.Equal(retried.Response!.Encode(), again.Response!.Encode());
        Assert.Equal(outstandingAfterCommit, await world.Ledger.GetBalanceAsync(LedgerAccount.Outstanding(world.General100.Id)));
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    [Fact]
    public async Task ARecoveryCommittedBeforeACrashIsAnsweredAfterTheRestartOnceTheKeyIsBack()
    {
        var (ledgerStore, schemeStore, logStore) = (new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        using var world = await ProtocolWorld.CreateAsync(ledgerStore, schemeStore, logStore);
        var (wallet, _) = await world.NewWalletAsync("w-recovery-crash", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        var from = ProtocolWorld.Start;
        var replacement = new KeysetDescriptor(2, world.General100.Denomination, KeysetDescriptor.GeneralFund, from, from.AddDays(30), from.AddDays(60), from.AddDays(90), world.Mode, ProtocolKeys.Rsa2048.PublicKey.ExportSubjectPublicKeyInfo());
        await world.Scheme.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{replacement.Id}"), KeysetParameters.Of(replacement), ProtocolKeys.Rsa2048);
        Assert.True(await world.Scheme.RevokeKeysetAsync(world.General100.Id));
        await world.SyncAsync(wallet);
        var request = wallet.PrepareRecovery(new IdempotencyKey("recovery-crash-1"), world.General100.Id, [replacement.Id]).Request!;

        // The crash point "after debit": the ledger took the recovery; nothing was signed, logged or stored.
        var storeKey = SchemeContext.LedgerKey("r", request.Account.Value, request.IdempotencyKey);
        var spent = request.Inputs.Select(i => new SpentCoin(i.Coin.Id, i.Coin.Keyset, world.General100.Denomination)).ToArray();
        var issued = request.Outputs.Select(o => new KeysetAmount(o.Keyset, replacement.Denomination)).ToArray();
        Assert.Equal(LedgerStatus.Applied, (await world.Ledger.SwapAsync(storeKey, spent, issued)).Status);
        long outstandingAfterCommit = await world.Ledger.GetBalanceAsync(LedgerAccount.Outstanding(replacement.Id));

        var restarted = new BenefitScheme(world.SchemeKey, world.AccreditationKey.PublicKey, new SchemeLedger(ledgerStore, world.Time), schemeStore, logStore, world.Time);
        var early = await restarted.RecoverAsync(RecoveryRequest.Decode(request.Encode()));
        Assert.Equal(SwapStatus.SigningKeyUnavailable, early.Status);
        Assert.Equal(outstandingAfterCommit, await world.Ledger.GetBalanceAsync(LedgerAccount.Outstanding(replacement.Id)));

        await restarted.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{replacement.Id}"), KeysetParameters.Of(replacement), ProtocolKeys.Rsa2048);
        world.Time.SetUtcNow(replacement.WithdrawUntil.AddSeconds(1));
        var retried = await restarted.RecoverAsync(RecoveryRequest.Decode(request.Encode()));
        Assert.Equal(SwapStatus.Swapped, retried.Status);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteRecovery(request, retried.Response!));
        Assert.Equal(200, wallet.Balance.MinorUnits);
        Assert.Equal(outstandingAfterCommit, await world.Ledger.GetBalanceAsync(LedgerAccount.Outstanding(replacement.Id)));
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    [Fact]
    public async Task AFreshSwapOutsideItsWindowsIsStillRefusedWithNothingMoved()
    {
        // The leniency above is only for swaps the ledger already took: a new one past the windows is refused.
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, _) = await world.NewWalletAsync("w-swap-late", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        var request = wallet.PrepareChange(new IdempotencyKey("swap-late-1"), Amount.FromMinorUnits(100), [world.General100.Id]).Request!;
        long before = await world.Ledger.GetBalanceAsync(LedgerAccount.Outstanding(world.General500.Id));

        world.Time.SetUtcNow(world.General500.SpendUntil.AddSeconds(1));
        var late = await world.Scheme.SwapAsync(request);

        Assert.Equal(SwapStatus.OutsideSpendWindow, late.Status);
        Assert.Equal(before, await world.Ledger.GetBalanceAsync(LedgerAccount.Outstanding(world.General500.Id)));
    }
}
