// Seeded on purpose: a failing property replays from its seed. These are test data, not secrets, so the library rule
// against System.Random (src/BannedSymbols.txt) does not hold in the sample builders.
#pragma warning disable RS0030

namespace Wallet.Storage.Testing;

/// <summary>Samples of the statement messages (docs/PROTOCOL.md 5.23).</summary>
internal sealed partial class MessageSamples
{
    public ContributionRecord ContributionRecord(AccountId? worker = null) => new(
        new IdempotencyKey(Token()),
        worker ?? new AccountId(Token()),
        (ContributionSource)_random.Next(1, 5),
        _random.Next(2) == 0 ? null : new AccountId(Token()),
        _random.Next(3) == 0 ? Token() : KeysetDescriptor.GeneralFund,
        Amount.FromMinorUnits(_random.NextInt64(1, 1_000_000_000)),
        Time());

    public ContributionReceipt ContributionReceipt()
    {
        using var key = Ed25519SigningKey.Generate();
        return Wallet.Protocol.Statements.ContributionReceipt.Sign(ContributionRecord(), _random.NextInt64(1, long.MaxValue), key);
    }

    public StatementRequest StatementRequest()
    {
        using var key = Ed25519SigningKey.Generate();
        var from = Time();
        return Wallet.Protocol.Statements.StatementRequest.Sign(new AccountId(Token()), (StatementRequestPurpose)_random.Next(1, 3), from, from.AddSeconds(_random.Next(1, 100_000_000)), Time(), key);
    }

    public WorkerStatement WorkerStatement()
    {
        using var key = Ed25519SigningKey.Generate();
        var request = StatementRequest();
        var lines = Enumerable.Range(0, _random.Next(0, 5)).Select(i => new StatementContribution(ContributionRecord(request.Account), _random.NextInt64(1, long.MaxValue))).DistinctBy(l => l.Record.LedgerKey).ToList();
        var withdrawals = Enumerable.Range(0, _random.Next(0, 4)).Select(_ => new StatementWithdrawal(new IdempotencyKey(Token()), Positive(), Time())).DistinctBy(w => w.Key).ToList();
        List<FundBalance> balances = [new(KeysetDescriptor.GeneralFund, Amount.FromMinorUnits(_random.NextInt64(0, long.MaxValue)))];
        if (_random.Next(2) == 0)
        {
            balances.Add(new FundBalance("training", Positive()));
        }

        return Wallet.Protocol.Statements.WorkerStatement.Sign(request, Time(), balances, lines, withdrawals, key);
    }
}
