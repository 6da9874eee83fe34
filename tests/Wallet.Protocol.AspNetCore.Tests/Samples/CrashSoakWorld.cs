using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>
/// The parties of the crash soak around one or more <see cref="SchemeServerChild"/> nodes of one scheme: the operator
/// (over the operator API of the first node), workers with wallets and two accredited providers (over PB/1 HTTP, one
/// attempt per call so the soak does its own retries), each party sent to its home node (worker or provider i to node
/// i mod n). Every request is built once and, when its node dies under it, re-sent as the same object (same bytes, same
/// idempotency key) to another node that is up, or to the first that comes back. Unexpected answers are collected in
/// <see cref="Anomalies"/>.
/// </summary>
internal sealed class CrashSoakWorld : IDisposable
{
    // Enough that no worker runs out during the soak, so every named withdrawal point is always reached.
    public const long Funded = 1_000_000;

    private static readonly long[][] WithdrawalShapes = [[500, 100, 100], [100, 100, 100, 100], [500], [500, 500, 100]];
    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(90);

    private readonly IReadOnlyList<SchemeServerChild> _servers;
    private readonly HttpSchemeClient[] _clients;
    private readonly HttpClient _http = new();
    private readonly string _operatorKey;
    private readonly List<IDisposable> _owned = [];
    private readonly ConcurrentDictionary<string, int> _retriedByFlow = new(StringComparer.Ordinal);
    private int _stopping;
    private int _workersDone;
    private int _retriedRequests;
    private int _retryAttempts;
    private int _failovers;
    private long _swapped;

    private CrashSoakWorld(IReadOnlyList<SchemeServerChild> servers, string operatorKey, Ed25519SigningKey accreditationKey)
    {
        _servers = servers;
        _operatorKey = operatorKey;
        AccreditationKey = Own(accreditationKey);
        _clients = [.. servers.Select(server => new HttpSchemeClient(_http, new HttpSchemeClientOptions { BaseAddress = new Uri(server.Root, "pb1/"), MaxAttempts = 1 }))];
        Operator = new HttpSchemeOperatorClient(_http, new HttpSchemeOperatorClientOptions
        {
            Transport = new HttpSchemeClientOptions { BaseAddress = new Uri(servers[0].Root, "pb1/operator/"), MaxAttempts = 1 },
            OperatorKey = operatorKey,
        });
    }

    /// <summary>The PB/1 client of the first node.</summary>
    public HttpSchemeClient Client => _clients[0];

    /// <summary>The PB/1 client of every node, in order.</summary>
    public IReadOnlyList<HttpSchemeClient> Clients => _clients;

    public HttpSchemeOperatorClient Operator { get; }

    public Ed25519SigningKey AccreditationKey { get; }

    public Ed25519PublicKey SchemeKey { get; private set; } = null!;

    public DateTimeOffset Opened { get; private set; }

    public KeysetDescriptor General100 { get; private set; } = null!;

    public KeysetDescriptor General500 { get; private set; } = null!;

    public IReadOnlyList<KeysetDescriptor> Keysets => [General100, General500];

    public AccreditationRegistry Registry { get; private set; } = null!;

    public List<SoakWorker> Workers { get; } = [];

    public List<SoakProvider> Providers { get; } = [];

    /// <summary>Every tree head a party was handed (deposit receipts): the auditor checks each against the log.</summary>
    public ConcurrentBag<SignedTreeHead> TreeHeads { get; } = [];

    public ConcurrentQueue<string> Anomalies { get; } = new();

    /// <summary>Requests whose first attempt died with the server and that were re-sent.</summary>
    public int RetriedRequests => Volatile.Read(ref _retriedRequests);

    /// <summary>The re-sent requests per flow.</summary>
    public string RetriedSummary => string.Join(", ", _retriedByFlow.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Value} {kv.Key}s"));

    /// <summary>Every re-send, including those that found the server still down.</summary>
    public int RetryAttempts => Volatile.Read(ref _retryAttempts);

    /// <summary>Re-sent requests that another node than the party's home node answered.</summary>
    public int Failovers => Volatile.Read(ref _failovers);

    /// <summary>The value that went through swaps (in = out).</summary>
    public long Swapped => Interlocked.Read(ref _swapped);

    public static Task<CrashSoakWorld> OpenAsync(SchemeServerChild server, int workers, int seed) => OpenAsync([server], workers, seed);

    /// <summary>Opens the world over the nodes of one scheme (sharing one data directory for the sample's key files).</summary>
    public static async Task<CrashSoakWorld> OpenAsync(IReadOnlyList<SchemeServerChild> servers, int workers, int seed)
    {
        string operatorKey = (await File.ReadAllTextAsync(Path.Combine(servers[0].Data, "operator.key"))).Trim();
        var accreditation = Ed25519SigningKey.FromSeed(await File.ReadAllBytesAsync(Path.Combine(servers[0].Data, "accreditation.ed25519")));
        var world = new CrashSoakWorld(servers, operatorKey, accreditation);
        try
        {
            await world.InitialiseAsync(workers, seed);
            return world;
        }
        catch
        {
            world.Dispose();
            throw;
        }
    }

    /// <summary>Runs every worker and provider until <see cref="Stop"/>; once the workers are done, the providers deposit what they still hold.</summary>
    public async Task RunAsync()
    {
        var providers = Providers.Select(RunProviderAsync).ToList();
        try
        {
            await Task.WhenAll(Workers.Select(RunWorkerAsync));
        }
        finally
        {
            Volatile.Write(ref _workersDone, 1);
        }

        await Task.WhenAll(providers);
    }

    public void Stop() => Volatile.Write(ref _stopping, 1);

    /// <summary>Moves every node's sample clock forward (PUT /pb1/operator/sample/clock, a u64 big-endian Unix time).</summary>
    public async Task MoveServerClockAsync(DateTimeOffset when)
    {
        byte[] body = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(body, (ulong)when.ToUnixTimeSeconds());
        foreach (var server in _servers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(server.Root, "pb1/operator/sample/clock")) { Content = new ByteArrayContent(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue(OperatorRoutes.BearerScheme, _operatorKey);
            using var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
    }

    public async Task SyncAsync(WorkerWallet wallet)
    {
        var head = await Client.GetTreeHeadAsync();
        var previous = wallet.TrustedTreeHead;
        var proof = previous is null || previous.TreeSize == head.TreeSize ? null : await Client.GetConsistencyProofAsync(previous.TreeSize, head.TreeSize);
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveTreeHead(head, proof));
        foreach (var keyset in await Client.ListKeysetsAsync())
        {
            Assert.True(wallet.TrustKeyset(keyset.Announcement, await Client.GetInclusionProofAsync(keyset.LogIndex, head.TreeSize)));
        }
    }

    public void Dispose()
    {
        foreach (var worker in Workers)
        {
            worker.Wallet.Dispose();
        }

        foreach (var provider in Providers)
        {
            provider.Role.Dispose();
        }

        foreach (var owned in Enumerable.Reverse(_owned))
        {
            owned.Dispose();
        }

        _http.Dispose();
    }

    private T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    private async Task InitialiseAsync(int workers, int seed)
    {
        SchemeKey = await Operator.GetPublicKeyAsync();
        Opened = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        General100 = await AnnounceAsync(100);
        General500 = await AnnounceAsync(500);

        var records = new List<ProviderRecord>();
        foreach (string id in new[] { "union-a", "union-b" })
        {
            var receiptKey = Own(Ed25519SigningKey.Generate());
            var record = new ProviderRecord(new AccountId(id), id, ["union"], receiptKey.PublicKey, Opened.AddDays(-1), Opened.AddDays(365));
            records.Add(record);
            Providers.Add(new SoakProvider(new AccreditedProvider(record, receiptKey, SchemeKey, TimeProvider.System)));
        }

        Registry = AccreditationRegistry.Sign(1, Opened.AddHours(-1), records, AccreditationKey);
        Assert.True(await Operator.PublishRegistryAsync(Registry));

        for (int i = 0; i < workers; i++)
        {
            var account = new AccountId($"worker-{i}");
            var accountKey = Own(Ed25519SigningKey.Generate());
            await Operator.RegisterAccountAsync(account, accountKey.PublicKey);
            Assert.True((await Operator.ContributeAsync(new IdempotencyKey($"fund-{i}"), ContributionSource.Employer, account, Amount.FromMinorUnits(Funded))).Succeeded);
            var wallet = new WorkerWallet(Own(WalletSeed.Generate()), account, accountKey, SchemeKey, AccreditationKey.PublicKey, TimeProvider.System);
            await SyncAsync(wallet);
            Workers.Add(new SoakWorker(i, wallet, new Random(seed + i + 1)));
        }
    }

    private async Task<KeysetDescriptor> AnnounceAsync(long denomination)
    {
        var parameters = new KeysetParameters(1, Amount.FromMinorUnits(denomination), KeysetDescriptor.GeneralFund, Opened.AddHours(-1), Opened.AddDays(1), Opened.AddDays(2), Opened.AddDays(3));
        return (await Operator.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{denomination}"), parameters)).Announcement.Descriptor;
    }

    private async Task RunWorkerAsync(SoakWorker worker)
    {
        await Task.Yield();
        int step = 0;
        while (Volatile.Read(ref _stopping) == 0 && Anomalies.IsEmpty)
        {
            step++;
            int choice = worker.Random.Next(10);
            bool done = worker.Wallet.Balance.MinorUnits < 500 || choice < 3
                ? await WithdrawAsync(worker, step)
                : choice < 5 ? await ChangeAsync(worker, step, Amount.FromMinorUnits(100)) : await PayAsync(worker, step);
            if (!done)
            {
                await Task.Delay(10);
            }
        }
    }

    private async Task<bool> WithdrawAsync(SoakWorker worker, int step)
    {
        var shape = WithdrawalShapes[worker.Random.Next(WithdrawalShapes.Length)];
        var request = worker.Wallet.PrepareWithdrawal(new IdempotencyKey($"w{worker.Index}-{step}"), [.. shape.Select(d => d == 100 ? General100.Id : General500.Id)]);
        var result = await SendAsync(worker.Index, client => client.WithdrawAsync(request), $"withdrawal {request.IdempotencyKey}");
        if (result.Status != WithdrawalStatus.Issued)
        {
            Anomalies.Enqueue($"withdrawal {request.IdempotencyKey} of worker {worker.Index} answered {result.Status}");
            return false;
        }

        var completion = worker.Wallet.CompleteWithdrawal(request, result.Response!);
        if (completion != WithdrawalCompletion.Completed)
        {
            Anomalies.Enqueue($"withdrawal {request.IdempotencyKey} of worker {worker.Index} did not complete: {completion}");
            return false;
        }

        worker.Withdrawn += result.Response!.Receipt.Total.MinorUnits;
        worker.Withdrawals++;
        return true;
    }

    private async Task<bool> ChangeAsync(SoakWorker worker, int step, Amount amount)
    {
        var request = worker.Wallet.PrepareChange(new IdempotencyKey($"s{worker.Index}-{step}"), amount, [General100.Id, General500.Id]).Request;
        if (request is null)
        {
            return false;
        }

        var result = await SendAsync(worker.Index, client => client.SwapAsync(request), $"swap {request.IdempotencyKey}");
        if (result.Status != SwapStatus.Swapped)
        {
            Anomalies.Enqueue($"swap {request.IdempotencyKey} of worker {worker.Index} answered {result.Status}");
            return false;
        }

        var completion = worker.Wallet.CompleteSwap(request, result.Response!);
        if (completion != SwapCompletion.Completed)
        {
            Anomalies.Enqueue($"swap {request.IdempotencyKey} of worker {worker.Index} did not complete: {completion}");
            return false;
        }

        Interlocked.Add(ref _swapped, result.Response!.Total.MinorUnits);
        worker.Swaps++;
        return true;
    }

    private async Task<bool> PayAsync(SoakWorker worker, int step)
    {
        var provider = Providers[worker.Random.Next(Providers.Count)];
        long amount = 100 * worker.Random.Next(1, 7);
        if (amount > worker.Wallet.Balance.MinorUnits)
        {
            return false;
        }

        var request = await provider.Role.CreatePaymentRequestAsync(Amount.FromMinorUnits(amount), "soak", TimeSpan.FromHours(1));
        var prepared = worker.Wallet.PreparePayment(request, Registry);
        if (prepared.Status == PaymentPreparationStatus.NoExactCoins && prepared.ChangeAvailable)
        {
            if (!await ChangeAsync(worker, step, request.Amount))
            {
                return false;
            }

            prepared = worker.Wallet.PreparePayment(request, Registry);
        }

        if (prepared.Status != PaymentPreparationStatus.Ready)
        {
            return false;
        }

        var verified = await provider.Role.VerifyPaymentAsync(request, prepared.Spends, Keysets);
        if (verified != PaymentVerification.Accepted)
        {
            Anomalies.Enqueue($"payment of {amount} by worker {worker.Index} to {provider.Role.Record.Id} refused by the provider: {verified}");
            return false;
        }

        worker.Paid += amount;
        provider.AddPaid(amount);
        return true;
    }

    private async Task RunProviderAsync(SoakProvider provider)
    {
        await Task.Yield();
        for (int batch = 1; Anomalies.IsEmpty; batch++)
        {
            // Read the flag before the queue: once the workers are done, nobody pays, so an empty queue stays empty.
            bool stopping = Volatile.Read(ref _workersDone) == 1;
            var deposit = await provider.Role.CreateDepositAsync(new IdempotencyKey($"d-{provider.Role.Record.Id}-{batch}"));
            if (deposit is null)
            {
                if (stopping)
                {
                    return;
                }

                await Task.Delay(50);
                batch--;
                continue;
            }

            var result = await SendAsync(Providers.IndexOf(provider), client => client.DepositAsync(deposit), $"deposit {deposit.IdempotencyKey}");
            if (result.Status != DepositStatus.Accepted)
            {
                Anomalies.Enqueue($"deposit {deposit.IdempotencyKey} of {deposit.Spends.Length} spends answered {result.Status}");
                return;
            }

            TreeHeads.Add(result.Receipt!.TreeHead);
            if ((await provider.Role.CompleteDepositAsync(deposit, result)).Count == 0)
            {
                Anomalies.Enqueue($"deposit {deposit.IdempotencyKey}: the receipt did not verify");
                return;
            }

            provider.Receipts += result.Receipt.Total.MinorUnits;
            provider.Deposits++;
        }
    }

    // One attempt per call (MaxAttempts = 1): a call that finds its node dead or dies with it is re-sent, as the same
    // request object, to another node that is up (fail-over), or else to the first node whose next generation listens.
    // Any answer from a live node is returned as it is.
    private async Task<T> SendAsync<T>(int party, Func<HttpSchemeClient, Task<T>> send, string what)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        int home = party % _servers.Count, node = home;
        bool retried = false;
        while (true)
        {
            try
            {
                var result = await send(_clients[node]);
                if (retried)
                {
                    Interlocked.Increment(ref _retriedRequests);
                    _retriedByFlow.AddOrUpdate(what.Split(' ')[0], 1, (_, n) => n + 1);
                    if (node != home)
                    {
                        Interlocked.Increment(ref _failovers);
                    }
                }

                return result;
            }
            catch (SchemeHttpException ex) when (ex.StatusCode is null && started.Elapsed < RetryFor)
            {
                retried = true;
                Interlocked.Increment(ref _retryAttempts);
                node = await NextNodeAsync(node);
                await Task.Delay(25);
            }
            catch (SchemeHttpException ex)
            {
                throw new InvalidOperationException($"{what}: {ex.Message}", ex);
            }
        }
    }

    // After node `failed` did not answer: the next other node that is up, else whichever node listens first.
    private async Task<int> NextNodeAsync(int failed)
    {
        for (int step = 1; step < _servers.Count; step++)
        {
            int candidate = (failed + step) % _servers.Count;
            if (_servers[candidate].WaitUpAsync().IsCompleted)
            {
                return candidate;
            }
        }

        var waits = _servers.Select(s => s.WaitUpAsync()).ToList();
        return waits.IndexOf(await Task.WhenAny(waits));
    }
}
