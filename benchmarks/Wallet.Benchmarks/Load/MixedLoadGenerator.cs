using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime;
using System.Runtime.CompilerServices;
using Wallet.Protocol;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Benchmarks.Load;

/// <summary>
/// Runs the mixed load for a warm-up and then one or more measured windows: each wallet repeats
/// a cycle in the pilot's proportions (withdraw <see cref="MixedLoad.WithdrawCoins"/> coins, pay a provider
/// <see cref="MixedLoad.PayCoins"/> coins, swap <see cref="MixedLoad.SwapCoins"/> coins for change) while each provider
/// verifies the payments it is handed and deposits them every 250 ms. Wallet and provider i use node i mod the node
/// count; wallet i pays provider i mod the provider count. Between windows the load can pause (every party finishes
/// the call it is in and waits), so that a reference measured then has the machine to itself.
/// </summary>
internal static class MixedLoadGenerator
{
    // After a pause is asked for, the calls in flight finish within this; after the load resumes, it is back to its
    // pace within this (the wallets' next cycles have started on every core).
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    /// <summary>One window of <paramref name="window"/> after a warm-up of <paramref name="warmUp"/>.</summary>
    public static async Task<MixedLoadFigures> RunAsync(IReadOnlyList<SchemeServerProcess> nodes, MixedLoadWorld world, TimeSpan warmUp, TimeSpan window) =>
        (await RunRoundsAsync(nodes, world, warmUp, 1, window, beforeEachRound: null, afterLastRound: null))[0];

    /// <summary>
    /// <paramref name="rounds"/> windows of <paramref name="window"/> after a warm-up of <paramref name="warmUp"/>. Before each window, and once
    /// after the last, the load pauses while <paramref name="beforeEachRound"/> (and <paramref name="afterLastRound"/>)
    /// runs, unless it is null.
    /// </summary>
    public static async Task<IReadOnlyList<MixedLoadFigures>> RunRoundsAsync(
        IReadOnlyList<SchemeServerProcess> nodes,
        MixedLoadWorld world,
        TimeSpan warmUp,
        int rounds,
        TimeSpan window,
        Action? beforeEachRound,
        Action? afterLastRound)
    {
        var latencies = MixedLoad.Operations.ToDictionary(o => o, _ => new ConcurrentBag<double>());
        var clock = Stopwatch.StartNew();
        var measuring = new StrongBox<bool>(false);
        bool InWindow() => Volatile.Read(ref measuring.Value);
        long issuedCoins = 0, deposited = 0, failures = 0;
        int nextKey = 0;
        IdempotencyKey Key(string what) => new($"{what}-{Interlocked.Increment(ref nextKey)}");
        KeysetId[] withdrawal = [.. Enumerable.Repeat(world.Keyset.Id, MixedLoad.WithdrawCoins)];
        IReadOnlyCollection<KeysetDescriptor> keysets = [world.Keyset];
        using var stop = new CancellationTokenSource();
        TaskCompletionSource? paused = null;
        Task Resumed() => Volatile.Read(ref paused)?.Task ?? Task.CompletedTask;

        async Task<bool> Timed(string operation, Func<Task<bool>> call)
        {
            await Resumed();
            var started = clock.Elapsed;
            bool window = InWindow();
            bool ok = await call();
            if (window && InWindow())
            {
                latencies[operation].Add((clock.Elapsed - started).TotalMilliseconds);
            }

            if (!ok)
            {
                Interlocked.Increment(ref failures);
            }

            return ok;
        }

        async Task WalletLoop(WorkerWallet wallet, int index)
        {
            var provider = world.Providers[index % world.Providers.Count];
            var client = world.ClientOf(index);
            while (!stop.IsCancellationRequested)
            {
                // Coins count when the wallet holds them within the window, as the CPU times are read over the window: a
                // cycle cut by the window's edges counts for the part of it that is done.
                await Timed("withdraw", async () =>
                {
                    var request = wallet.PrepareWithdrawal(Key("w"), withdrawal);
                    var result = await client.WithdrawAsync(request);
                    bool issued = result.Status == WithdrawalStatus.Issued && wallet.CompleteWithdrawal(request, result.Response!) == WithdrawalCompletion.Completed;
                    if (issued)
                    {
                        Interlocked.Add(ref issuedCoins, MixedLoad.WithdrawCoins);
                    }

                    return issued;
                });
                await Timed("pay", async () =>
                {
                    var request = await provider.CreatePaymentRequestAsync(Amount.FromMinorUnits(MixedLoad.Denomination.MinorUnits * MixedLoad.PayCoins), "dues", TimeSpan.FromHours(1));
                    var prepared = wallet.PreparePayment(request, world.Registry);
                    return prepared.Status == PaymentPreparationStatus.Ready && await provider.VerifyPaymentAsync(request, prepared.Spends, keysets) == PaymentVerification.Accepted;
                });
                await Timed("swap", async () =>
                {
                    var prepared = wallet.PrepareChange(Key("s"), Amount.FromMinorUnits(MixedLoad.Denomination.MinorUnits * MixedLoad.SwapCoins), [world.Keyset.Id]);
                    if (prepared.Request is not { } request)
                    {
                        return false;
                    }

                    var result = await client.SwapAsync(request);
                    bool swapped = result.Response is { } response && wallet.CompleteSwap(request, response) == SwapCompletion.Completed;
                    if (swapped)
                    {
                        Interlocked.Add(ref issuedCoins, MixedLoad.SwapCoins);
                    }

                    return swapped;
                });
            }
        }

        async Task ProviderLoop(AccreditedProvider provider, int index)
        {
            var client = world.ClientOf(index);
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(250);
                await Timed("deposit", async () =>
                {
                    if (await provider.CreateDepositAsync(Key("d")) is not { } request)
                    {
                        return true;
                    }

                    var result = await client.DepositAsync(request);
                    var settled = await provider.CompleteDepositAsync(request, result);
                    Interlocked.Add(ref deposited, settled.Sum(s => s.Request.Amount.MinorUnits / MixedLoad.Denomination.MinorUnits));

                    return true;
                });
            }
        }

        async Task PauseAsync(Action reference)
        {
            Volatile.Write(ref paused, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            await Task.Delay(Settle);
            reference();
            Interlocked.Exchange(ref paused, null)!.SetResult();
            await Task.Delay(Settle);
        }

        var tasks = new List<Task>();
        tasks.AddRange(world.Wallets.Select((w, i) => Task.Run(() => WalletLoop(w.Wallet, i))));
        tasks.AddRange(world.Providers.Select((p, i) => Task.Run(() => ProviderLoop(p, i))));
        await Task.Delay(warmUp);
        var figures = new List<MixedLoadFigures>();
        for (int round = 0; round < rounds; round++)
        {
            if (beforeEachRound is not null)
            {
                await PauseAsync(beforeEachRound);
            }

            foreach (var bag in latencies.Values)
            {
                bag.Clear();
            }

            var nodeStart = nodes.Select(n => n.CpuTime).ToArray();
            var generatorStart = Process.GetCurrentProcess().TotalProcessorTime;
            var machineStart = MachineCpu.Read();
            long jitMethodsStart = JitInfo.GetCompiledMethodCount();
            var jitTimeStart = JitInfo.GetCompilationTime();
            long issuedStart = Interlocked.Read(ref issuedCoins), depositedStart = Interlocked.Read(ref deposited), failuresStart = Interlocked.Read(ref failures);
            Volatile.Write(ref measuring.Value, true);
            await Task.Delay(window);
            Volatile.Write(ref measuring.Value, false);
            long issued = Interlocked.Read(ref issuedCoins) - issuedStart, settled = Interlocked.Read(ref deposited) - depositedStart, failed = Interlocked.Read(ref failures) - failuresStart;
            long jitMethods = JitInfo.GetCompiledMethodCount() - jitMethodsStart;
            var jitTime = JitInfo.GetCompilationTime() - jitTimeStart;
            var nodeCpu = nodes.Select((n, i) => n.CpuTime - nodeStart[i]).ToArray();
            var generatorCpu = Process.GetCurrentProcess().TotalProcessorTime - generatorStart;
            double machineBusy = MachineCpu.Read().BusySince(machineStart);
            var snapshot = latencies.ToDictionary(l => l.Key, l => new ConcurrentBag<double>(l.Value));
            figures.Add(new MixedLoadFigures(issued, settled, failed, nodeCpu, generatorCpu, machineBusy, snapshot) { GeneratorJitMethods = jitMethods, GeneratorJitTime = jitTime, Window = window });
        }

        if (afterLastRound is not null)
        {
            await PauseAsync(afterLastRound);
        }

        await stop.CancelAsync();
        await Task.WhenAll(tasks);
        return figures;
    }
}
