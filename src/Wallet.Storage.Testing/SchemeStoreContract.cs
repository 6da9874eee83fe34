namespace Wallet.Storage.Testing;

/// <summary>
/// The behaviour every <see cref="ISchemeStore"/> must show: first-write-wins records (keysets, withdrawals, spends,
/// deposits, swaps, refund claims, contribution records), the log entries and their operations, account keys,
/// registries and cancellation. WalletCore's in-memory, SQLite and PostgreSQL scheme stores all pass it.
/// </summary>
/// <remarks>
/// <para>
/// To check your own store, inherit this class in an xUnit v2 test project and return a new, empty store from
/// <see cref="CreateStore"/>; xUnit then runs every test below against it. Each test calls
/// <see cref="CreateStore"/> once and never disposes the store, so a store that holds connections or files should
/// be tracked by the test class and released in its own <see cref="IDisposable.Dispose"/> or
/// <c>IAsyncLifetime.DisposeAsync</c> (xUnit builds a new instance of the class for each test).
/// </para>
/// <code>
/// public sealed class MySchemeStoreTests : SchemeStoreContract, IDisposable
/// {
///     private readonly List&lt;MySchemeStore&gt; _stores = [];
///
///     protected override ISchemeStore CreateStore()
///     {
///         var store = MySchemeStore.OpenNew();
///         _stores.Add(store);
///         return store;
///     }
///
///     public void Dispose() =&gt; _stores.ForEach(s =&gt; s.Dispose());
/// }
/// </code>
/// </remarks>
public abstract partial class SchemeStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>Creates a new, empty store; each test calls it once.</summary>
    /// <returns>The store the test runs against.</returns>
    protected abstract ISchemeStore CreateStore();

    /// <summary>Unknown keys read as null.</summary>
    [Fact]
    public async Task UnknownKeysReadAsNull()
    {
        var store = CreateStore();
        var samples = new MessageSamples(1);

        Assert.Null(await store.GetKeysetAsync(samples.KeysetId(), None));
        Assert.Null(await store.GetAccountKeyAsync(new AccountId("nobody"), None));
        Assert.Null(await store.GetWithdrawalAsync(new AccountId("nobody"), new IdempotencyKey("k"), None));
        Assert.Null(await store.FindBlindSignatureAsync(BlindedMessage.FromBytes(samples.Bytes(256)), None));
        Assert.Null(await store.GetSpendAsync(samples.CoinId(), None));
        Assert.Null(await store.GetDepositAsync(new AccountId("nobody"), new IdempotencyKey("k"), None));
        Assert.Null(await store.GetLogEntryAsync(0, None));
        Assert.Empty(await store.ListKeysetsAsync(None));
        Assert.Empty(await store.ListRegistriesAsync(None));
        Assert.False(await store.RevokeKeysetAsync(samples.KeysetId(), None));
    }

    /// <summary>Keysets keep the first write, the announcement order and revocation.</summary>
    [Fact]
    public async Task KeysetsKeepTheFirstWriteAnnouncementOrderAndRevocation()
    {
        var store = CreateStore();
        var samples = new MessageSamples(2);
        var first = samples.Announcement();
        var second = samples.Announcement();

        await store.PutKeysetAsync(new StoredKeyset(first, 3, false), None);
        await store.PutKeysetAsync(new StoredKeyset(second, 4, false), None);
        await store.PutKeysetAsync(new StoredKeyset(first, 9, true), None);
        Assert.True(await store.RevokeKeysetAsync(second.Descriptor.Id, None));

        var listed = await store.ListKeysetsAsync(None);
        Assert.Equal([first.Encode(), second.Encode()], listed.Select(k => k.Announcement.Encode()));
        Assert.Equal(3UL, listed[0].LogIndex);
        Assert.False(listed[0].Revoked);
        Assert.True((await store.GetKeysetAsync(second.Descriptor.Id, None))!.Revoked);
    }

    /// <summary>Withdrawal is stored once and indexes its blind signatures.</summary>
    [Fact]
    public async Task WithdrawalIsStoredOnceAndIndexesItsBlindSignatures()
    {
        var store = CreateStore();
        var samples = new MessageSamples(3);
        var request = samples.Withdrawal();
        var matching = new Wallet.Protocol.Withdrawals.WithdrawalResponse(Wallet.Protocol.Withdrawals.WithdrawalReceipt.Sign(request, Amount.FromMinorUnits(5), ProtocolTime, Key), [.. request.Items.Select(_ => BlindSignature.FromBytes(samples.Bytes(256)))]);

        await store.PutWithdrawalAsync(request, matching, None);
        await store.PutWithdrawalAsync(request, new Wallet.Protocol.Withdrawals.WithdrawalResponse(Wallet.Protocol.Withdrawals.WithdrawalReceipt.Sign(request, Amount.FromMinorUnits(6), ProtocolTime, Key), [.. request.Items.Select(_ => BlindSignature.FromBytes(samples.Bytes(256)))]), None);

        var stored = await store.GetWithdrawalAsync(request.Account, request.IdempotencyKey, None);
        Assert.Equal(matching.Encode(), stored!.Response.Encode());
        Assert.Equal(request.Hash(), stored.RequestHash.ToArray());
        for (int i = 0; i < request.Items.Length; i++)
        {
            Assert.Equal(matching.BlindSignatures[i], await store.FindBlindSignatureAsync(request.Items[i].BlindedMessage, None));
        }

    }

    /// <summary>First spend of a coin wins.</summary>
    [Fact]
    public async Task FirstSpendOfACoinWins()
    {
        var store = CreateStore();
        var samples = new MessageSamples(4);
        var spend = samples.Spend();
        var other = new Wallet.Protocol.Coins.CoinSpend(spend.Coin, samples.Request(), samples.Bytes(64));

        await store.PutSpendsAsync([spend], None);
        await store.PutSpendsAsync([other], None);

        Assert.Equal(spend.Encode(), (await store.GetSpendAsync(spend.Coin.Id, None))!.Encode());
    }

    /// <summary>Deposit is stored once.</summary>
    [Fact]
    public async Task DepositIsStoredOnce()
    {
        var store = CreateStore();
        var samples = new MessageSamples(5);
        var receipt = samples.DepositReceipt();

        await store.PutDepositAsync(new StoredDeposit(samples.Bytes(32), receipt), None);
        byte[] hash = (await store.GetDepositAsync(receipt.Provider, receipt.IdempotencyKey, None))!.RequestHash.ToArray();
        await store.PutDepositAsync(new StoredDeposit(samples.Bytes(32), receipt), None);

        var stored = await store.GetDepositAsync(receipt.Provider, receipt.IdempotencyKey, None);
        Assert.Equal(hash, stored!.RequestHash.ToArray());
        Assert.Equal(receipt.Encode(), stored.Receipt.Encode());
    }

    /// <summary>Deposit keeps every payment outcome for replay.</summary>
    [Fact]
    public async Task DepositKeepsEveryPaymentOutcomeForReplay()
    {
        var store = CreateStore();
        var samples = new MessageSamples(15);
        var receipt = samples.DepositReceipt();
        var spend = samples.Spend();
        var proof = new Wallet.Protocol.Coins.DoubleSpendProof(spend, new Wallet.Protocol.Coins.CoinSpend(spend.Coin, samples.Request(), samples.Bytes(64)));
        DepositPaymentOutcome[] payments =
        [
            new(receipt.Payments[0], DepositPaymentStatus.Accepted, null, []),
            new(samples.Request().Id, DepositPaymentStatus.Rejected, DepositRejectionReason.AmountMismatch, []),
            new(samples.Request().Id, DepositPaymentStatus.DoubleSpend, null, [proof]),
            new(samples.Request().Id, DepositPaymentStatus.AlreadyDeposited, null, []),
        ];

        await store.PutDepositAsync(new StoredDeposit(samples.Bytes(32), receipt) { Payments = payments }, None);
        var stored = (await store.GetDepositAsync(receipt.Provider, receipt.IdempotencyKey, None))!;

        Assert.Equal(Wallet.Protocol.Binding.PbEnvelopes.EncodeDepositPayments(payments), Wallet.Protocol.Binding.PbEnvelopes.EncodeDepositPayments(stored.Payments));
        Assert.Equal(DepositRejectionReason.AmountMismatch, stored.Payments[1].Reason);
        Assert.Equal(proof.Encode(), Assert.Single(stored.Payments[2].DoubleSpendProofs).Encode());
    }

    /// <summary>Log entry at an index is replaced and account keys too.</summary>
    [Fact]
    public async Task LogEntryAtAnIndexIsReplacedAndAccountKeysToo()
    {
        var store = CreateStore();
        var samples = new MessageSamples(6);
        var crashed = samples.LogEntry();
        var real = samples.LogEntry();
        using var oldKey = Ed25519SigningKey.Generate();
        using var newKey = Ed25519SigningKey.Generate();

        await store.PutLogEntryAsync(7, crashed, "op-crashed", None);
        await store.PutLogEntryAsync(7, real, "op-real", None);
        await store.PutAccountKeyAsync(new AccountId("w"), oldKey.PublicKey, None);
        await store.PutAccountKeyAsync(new AccountId("w"), newKey.PublicKey, None);

        Assert.Equal(real.Encode(), (await store.GetLogEntryAsync(7, None))!.Encode());
        Assert.Equal(newKey.PublicKey, await store.GetAccountKeyAsync(new AccountId("w"), None));
        Assert.Null(await store.FindLogIndexAsync("op-crashed", None));
        Assert.Equal(7UL, await store.FindLogIndexAsync("op-real", None));
    }

    /// <summary>Account is known only once its key is registered.</summary>
    [Fact]
    public async Task AccountIsKnownOnlyOnceItsKeyIsRegistered()
    {
        var store = CreateStore();
        using var key = Ed25519SigningKey.Generate();
        Wallet.Protocol.Withdrawals.IWithdrawalStore withdrawals = store;

        Assert.False(await withdrawals.HasAccountAsync(new AccountId("w"), None));
        await store.PutAccountKeyAsync(new AccountId("w"), key.PublicKey, None);

        Assert.True(await withdrawals.HasAccountAsync(new AccountId("w"), None));
        Assert.False(await withdrawals.HasAccountAsync(new AccountId("w2"), None));
    }

    /// <summary>The registered accounts among many are found at once: each registered one once, repeats and unknown ones not added.</summary>
    [Fact]
    public async Task RegisteredAccountsAreFoundAtOnce()
    {
        var store = CreateStore();
        using var key = Ed25519SigningKey.Generate();
        Wallet.Protocol.Withdrawals.IWithdrawalStore withdrawals = store;
        for (int i = 0; i < 5; i++)
        {
            await store.PutAccountKeyAsync(new AccountId($"w{i}"), key.PublicKey, None);
        }

        Assert.Empty(await withdrawals.FindRegisteredAccountsAsync([], None));
        var found = await withdrawals.FindRegisteredAccountsAsync([new AccountId("w1"), new AccountId("x"), new AccountId("w3"), new AccountId("w1"), new AccountId("w4"), new AccountId("w10")], None);
        Assert.Equal(["w1", "w3", "w4"], found.Select(a => a.Value).Order(StringComparer.Ordinal));
        await Assert.ThrowsAsync<ArgumentNullException>(() => withdrawals.FindRegisteredAccountsAsync([new AccountId("w1"), null!], None).AsTask());
    }

    /// <summary>Log operation maps to its latest index only.</summary>
    [Fact]
    public async Task LogOperationMapsToItsLatestIndexOnly()
    {
        var store = CreateStore();
        var samples = new MessageSamples(8);
        var first = samples.LogEntry();
        var other = samples.LogEntry();

        Assert.Null(await store.FindLogIndexAsync("op", None));
        await store.PutLogEntryAsync(3, first, "op", None);
        Assert.Equal(3UL, await store.FindLogIndexAsync("op", None));

        // Re-logged at a later index after its first index was taken: the old row goes with the move.
        await store.PutLogEntryAsync(3, other, "other", None);
        await store.PutLogEntryAsync(4, first, "op", None);
        Assert.Equal(4UL, await store.FindLogIndexAsync("op", None));
        Assert.Equal(3UL, await store.FindLogIndexAsync("other", None));
        Assert.Equal(other.Encode(), (await store.GetLogEntryAsync(3, None))!.Encode());

        await store.PutLogEntryAsync(9, other, "other", None);
        Assert.Null(await store.GetLogEntryAsync(3, None));
        Assert.Equal(9UL, await store.FindLogIndexAsync("other", None));
    }

    /// <summary>Registries list in version order; the first write wins.</summary>
    [Fact]
    public async Task RegistriesListInVersionOrderFirstWriteWins()
    {
        var store = CreateStore();
        var samples = new MessageSamples(7);
        var registries = Enumerable.Range(0, 4).Select(_ => samples.Registry()).DistinctBy(r => r.Version).ToList();

        foreach (var r in registries)
        {
            await store.PutRegistryAsync(r, None);
        }

        var listed = await store.ListRegistriesAsync(None);
        Assert.Equal(registries.OrderBy(r => r.Version).Select(r => r.Encode()), listed.Select(r => r.Encode()));
    }

    /// <summary>Withdrawal records the withdrawing account of each blinded message.</summary>
    [Fact]
    public async Task WithdrawalRecordsTheWithdrawingAccountOfEachBlindedMessage()
    {
        var store = CreateStore();
        var samples = new MessageSamples(6);
        var request = samples.Withdrawal();
        var response = new Wallet.Protocol.Withdrawals.WithdrawalResponse(Wallet.Protocol.Withdrawals.WithdrawalReceipt.Sign(request, Amount.FromMinorUnits(5), ProtocolTime, Key), [.. request.Items.Select(_ => BlindSignature.FromBytes(samples.Bytes(256)))]);

        await store.PutWithdrawalAsync(request, response, None);

        foreach (var item in request.Items)
        {
            Assert.Equal(request.Account, await store.FindWithdrawingAccountAsync(item.BlindedMessage, None));
        }

        Assert.Null(await store.FindWithdrawingAccountAsync(BlindedMessage.FromBytes(samples.Bytes(256)), None));
    }

    /// <summary>A swap is stored once, indexes its outputs under no account and keeps the first spends.</summary>
    [Fact]
    public async Task SwapIsStoredOnceIndexesItsOutputsUnderNoAccountAndKeepsTheFirstSpends()
    {
        var store = CreateStore();
        var samples = new SwapSamples(7);
        var messages = new MessageSamples(7);
        var response = samples.Response();
        var outputs = response.BlindSignatures.Select(_ => BlindedMessage.FromBytes(messages.Bytes(256))).ToList();
        var spend = samples.Spend();
        var key = new IdempotencyKey("s-1");
        Assert.Null(await store.GetSwapAsync(key, None));
        Assert.Null(await store.GetSwapSpendAsync(spend.Coin.Id, None));

        await store.PutSwapAsync(key, new Wallet.Protocol.Swaps.StoredSwap(messages.Bytes(32), response), outputs, [spend], None);
        byte[] hash = (await store.GetSwapAsync(key, None))!.RequestHash.ToArray();
        var later = new Wallet.Protocol.Swaps.SwapSpend(spend.Coin, messages.Bytes(32), messages.Bytes(64));
        await store.PutSwapAsync(key, new Wallet.Protocol.Swaps.StoredSwap(messages.Bytes(32), response), outputs, [later], None);

        var stored = await store.GetSwapAsync(key, None);
        Assert.Equal(hash, stored!.RequestHash.ToArray());
        Assert.Equal(response.Encode(), stored.Response.Encode());
        Assert.Equal(spend.Encode(), (await store.GetSwapSpendAsync(spend.Coin.Id, None))!.Encode());
        for (int i = 0; i < outputs.Count; i++)
        {
            Assert.Equal(response.BlindSignatures[i], await store.FindBlindSignatureAsync(outputs[i], None));
            Assert.Null(await store.FindWithdrawingAccountAsync(outputs[i], None));
        }
    }

    /// <summary>Swap with one blinded message per signature missing throws.</summary>
    [Fact]
    public async Task SwapWithOneBlindedMessagePerSignatureMissingThrows()
    {
        var store = CreateStore();
        var response = new SwapSamples(8).Response();
        await Assert.ThrowsAsync<ArgumentException>("outputs", async () => await store.PutSwapAsync(new IdempotencyKey("s"), new Wallet.Protocol.Swaps.StoredSwap(new byte[32], response), [], [], None));
    }

    /// <summary>Cancelled calls throw.</summary>
    [Fact]
    public async Task CancelledCallsThrow()
    {
        var store = CreateStore();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.ListKeysetsAsync(cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.GetLogEntryAsync(0, cts.Token));
    }

    private static readonly DateTimeOffset ProtocolTime = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Ed25519SigningKey Key = Ed25519SigningKey.Generate();
}
