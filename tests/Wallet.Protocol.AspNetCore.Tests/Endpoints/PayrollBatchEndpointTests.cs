using System.Net;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using static Wallet.Protocol.AspNetCore.Tests.Endpoints.OperatorEndpointTests;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>
/// The payroll batch over real HTTP (docs/PROTOCOL.md 5.21): each line decided alone, retries and concurrent
/// copies applying nothing twice, and hostile bodies refused whole with nothing moved.
/// </summary>
public sealed class PayrollBatchEndpointTests
{
    private static readonly AccountId Employer = new("employer-17");

    [Fact]
    public async Task EachLineIsDecidedAloneAndARetriedBatchReplaysEveryLine()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var client = op.Client();
            var workers = await RegisterAsync(client, 3);
            await client.ContributeAsync(new PayrollLine(Employer, new IdempotencyKey("nov-5"), ContributionSource.Employer, workers[0], Pence(1)).LedgerKey, ContributionSource.Employer, workers[0], Pence(1));
            PayrollLine[] batch =
            [
                Line("nov-1", workers[0], 1000),
                Line("nov-2", workers[1], 2000),
                Line("nov-3", workers[2], 0),
                Line("nov-4", new AccountId("nobody"), 500),
                Line("nov-5", workers[0], 999),
                Line("nov-6", workers[2], 300, ContributionSource.Worker),
            ];

            var results = await client.ContributeBatchAsync(batch);
            var retry = await client.ContributeBatchAsync(batch);

            PayrollLineStatus[] expected = [PayrollLineStatus.Applied, PayrollLineStatus.Applied, PayrollLineStatus.ZeroAmount, PayrollLineStatus.UnknownAccount, PayrollLineStatus.LineKeyReused, PayrollLineStatus.Applied];
            Assert.Equal(expected, results.Select(r => r.Status));
            Assert.Equal(expected, retry.Select(r => r.Status));
            Assert.All(results, r => Assert.False(r.IsReplay));
            Assert.Equal([true, true, false, false, false, true], retry.Select(r => r.IsReplay));
            Assert.Equal(1001, await client.GetBalanceAsync(LedgerAccount.Worker(workers[0])));
            Assert.Equal(2000, await client.GetBalanceAsync(LedgerAccount.Worker(workers[1])));
            Assert.Equal(300, await client.GetBalanceAsync(LedgerAccount.Worker(workers[2])));

            // The journal names who paid each line.
            var entry = await op.World.Ledger.FindEntryAsync(new IdempotencyKey("pay:employer-17:nov-1"));
            Assert.Equal(LedgerAccount.Worker(workers[0]), entry!.Postings.Single(p => p.Delta > 0).Account);
            Assert.True((await client.VerifyLedgerAsync()).IsValid);
        }
    }

    [Fact]
    public async Task RepeatedLineKeysInOneBatchCreditOnceAndOtherContributorsKeepTheirOwnKeys()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var client = op.Client();
            var workers = await RegisterAsync(client, 1);
            var other = new AccountId("employer-99");

            var results = await client.ContributeBatchAsync(
            [
                Line("L1", workers[0], 100),
                Line("L1", workers[0], 100),
                Line("L1", workers[0], 101),
                new PayrollLine(other, new IdempotencyKey("L1"), ContributionSource.Employer, workers[0], Pence(100)),
            ]);

            Assert.Equal([PayrollLineStatus.Applied, PayrollLineStatus.Applied, PayrollLineStatus.LineKeyReused, PayrollLineStatus.Applied], results.Select(r => r.Status));
            Assert.Equal([false, true, false, false], results.Select(r => r.IsReplay));
            Assert.Equal(200, await client.GetBalanceAsync(LedgerAccount.Worker(workers[0])));
        }
    }

    [Fact]
    public async Task MalformedBatchesAre400AndMoveNothing()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var workers = await RegisterAsync(op.Client(), 1);
            byte[] valid = OperatorEnvelopes.EncodePayrollBatch([Line("m1", workers[0], 10), Line("m2", workers[0], 20)]);
            var before = await op.LedgerHeadAsync();

            byte[][] bad =
            [
                [],
                [PbEnvelopes.Version],
                valid[..^1],
                [.. valid, 0],
                [2, .. valid[1..]],
                WithCount(valid, 0),
                WithCount(valid, 3),
                WithCount(valid, uint.MaxValue),
                [.. valid[..^8], 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], // a negative amount
                Replace(valid, "employer-17", "employer:17"), // a ':' would make the ledger key ambiguous
                Replace(valid, "m1", "m\u0001"),
                SourceOf(valid, 9),
            ];

            foreach (var body in bad)
            {
                await AssertProblemAsync(await op.PostAsync(OperatorRoutes.PayrollBatches, OperatorMediaTypes.PayrollBatch, body), HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage);
            }

            await AssertProblemAsync(await op.PostAsync(OperatorRoutes.PayrollBatches, OperatorMediaTypes.Contribution, valid), HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
            Assert.Equal(before, await op.LedgerHeadAsync());
            Assert.Equal(HttpStatusCode.OK, (await op.PostAsync(OperatorRoutes.PayrollBatches, OperatorMediaTypes.PayrollBatch, valid)).StatusCode);
        }
    }

    [Fact]
    public async Task BatchOverTheLineLimitOrTheBodyLimitIsRefusedWholeAndMovesNothing()
    {
        var op = await OperatorServer.StartAsync(o => (o.MaxPayrollLines, o.MaxBodyBytes) = (3, 2048));
        using (op.World)
        {
            var client = op.Client();
            var workers = await RegisterAsync(client, 1);
            var before = await op.LedgerHeadAsync();

            byte[] four = OperatorEnvelopes.EncodePayrollBatch([.. Enumerable.Range(0, 4).Select(i => Line($"t{i}", workers[0], 10))]);
            await AssertProblemAsync(await op.PostAsync(OperatorRoutes.PayrollBatches, OperatorMediaTypes.PayrollBatch, four), HttpStatusCode.BadRequest, ProblemTypes.BatchTooLarge);
            var refused = await Assert.ThrowsAsync<SchemeHttpException>(() => client.ContributeBatchAsync([.. Enumerable.Range(0, 4).Select(i => Line($"t{i}", workers[0], 10))]));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

            byte[] huge = OperatorEnvelopes.EncodePayrollBatch([Line(new string('k', PayrollLine.MaxLineKeyLength), workers[0], 10), .. Enumerable.Range(0, 40).Select(i => Line($"h{i}-{new string('x', 50)}", workers[0], 1))]);
            await AssertProblemAsync(await op.PostAsync(OperatorRoutes.PayrollBatches, OperatorMediaTypes.PayrollBatch, huge), HttpStatusCode.RequestEntityTooLarge, ProblemTypes.BodyTooLarge);

            Assert.Equal(before, await op.LedgerHeadAsync());
            Assert.Equal(3, (await client.ContributeBatchAsync([.. Enumerable.Range(0, 3).Select(i => Line($"t{i}", workers[0], 10))])).Count);
        }
    }

    [Fact]
    public async Task ReplayUnderOneIdempotencyKeyReturnsTheSameBytesAndAnotherBodyUnderItIsRefused()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var workers = await RegisterAsync(op.Client(), 1);
            byte[] body = OperatorEnvelopes.EncodePayrollBatch([Line("r1", workers[0], 10)]);
            byte[] other = OperatorEnvelopes.EncodePayrollBatch([Line("r2", workers[0], 10)]);

            var first = await op.PostAsync(OperatorRoutes.PayrollBatches, OperatorMediaTypes.PayrollBatch, body, "batch-1");
            var again = await op.PostAsync(OperatorRoutes.PayrollBatches, OperatorMediaTypes.PayrollBatch, body, "batch-1");

            Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await again.Content.ReadAsByteArrayAsync());
            Assert.False(Assert.Single(OperatorEnvelopes.DecodePayrollResults(await again.Content.ReadAsByteArrayAsync())).IsReplay);
            await AssertProblemAsync(await op.PostAsync(OperatorRoutes.PayrollBatches, OperatorMediaTypes.PayrollBatch, other, "batch-1"), HttpStatusCode.UnprocessableEntity, ProblemTypes.IdempotencyKeyReused);
            Assert.Equal(10, await op.World.Ledger.GetBalanceAsync(LedgerAccount.Worker(workers[0])));
        }
    }

    [Fact]
    public async Task ConcurrentIdenticalBatchesCreditEveryLineExactlyOnce()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var workers = await RegisterAsync(op.Client(), 4);
            PayrollLine[] batch = [.. Enumerable.Range(0, 40).Select(i => Line($"c{i}", workers[i % 4], 10 + i))];
            byte[] body = OperatorEnvelopes.EncodePayrollBatch(batch);

            // Half share one Idempotency-Key (answered once, then from memory), half carry their own.
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
                op.PostAsync(OperatorRoutes.PayrollBatches, OperatorMediaTypes.PayrollBatch, body, i % 2 == 0 ? "same" : $"own-{i}"))));

            var decoded = new List<PayrollLineResult[]>();
            foreach (var response in responses)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                decoded.Add(OperatorEnvelopes.DecodePayrollResults(await response.Content.ReadAsByteArrayAsync()));
            }

            Assert.All(decoded, run => Assert.All(run, r => Assert.True(r.Succeeded)));
            for (int i = 0; i < batch.Length; i++)
            {
                // Every response under "same" is the one answer; among the distinct answers exactly one applied line i.
                Assert.Equal(1, decoded.Where((_, n) => n % 2 == 1).Append(decoded[0]).Count(run => !run[i].IsReplay));
            }

            Assert.Equal(batch.Length, (await op.LedgerHeadAsync()).Sequence);
            Assert.Equal(batch.Where(l => l.Worker == workers[1]).Sum(l => l.Amount.MinorUnits), await op.World.Ledger.GetBalanceAsync(LedgerAccount.Worker(workers[1])));
        }
    }

    [Fact]
    public void LineLimitOutsideItsRangeIsRefusedAtStartUp()
    {
        foreach (int lines in new[] { 0, OperatorEnvelopes.MaxPayrollLines + 1 })
        {
            var options = new WalletSchemeOperatorEndpointOptions { MaxPayrollLines = lines };
            options.SetOperatorKey(new byte[WalletSchemeOperatorEndpointOptions.OperatorKeyLength]);
            Assert.Throws<ArgumentException>(nameof(WalletSchemeOperatorEndpointOptions.MaxPayrollLines), options.Validate);
        }
    }

    private static PayrollLine Line(string key, AccountId worker, long amount, ContributionSource source = ContributionSource.Employer) =>
        new(Employer, new IdempotencyKey(key), source, worker, Pence(amount));

    private static Amount Pence(long value) => Amount.FromMinorUnits(value);

    private static async Task<AccountId[]> RegisterAsync(HttpSchemeOperatorClient client, int count)
    {
        var workers = Enumerable.Range(1, count).Select(i => new AccountId($"payroll-worker-{i}")).ToArray();
        foreach (var worker in workers)
        {
            using var key = Ed25519SigningKey.Generate();
            await client.RegisterAccountAsync(worker, key.PublicKey);
        }

        return workers;
    }

    private static byte[] WithCount(byte[] body, uint count)
    {
        byte[] copy = [.. body];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(1), count);
        return copy;
    }

    private static byte[] Replace(byte[] body, string from, string to)
    {
        // Same length, so every length prefix stays right and only the token's content is hostile.
        Assert.Equal(from.Length, to.Length);
        int at = body.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(from));
        byte[] copy = [.. body];
        System.Text.Encoding.Latin1.GetBytes(to).CopyTo(copy, at);
        return copy;
    }

    private static byte[] SourceOf(byte[] body, byte source)
    {
        // version, count, contributor, line key, then the source byte.
        byte[] copy = [.. body];
        int at = 1 + 4;
        at += 1 + copy[at];
        at += 1 + copy[at];
        copy[at] = source;
        return copy;
    }
}
