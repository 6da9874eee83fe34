namespace Wallet.Protocol.Schemes;

// Ring-fenced funds (docs/PROTOCOL.md 5.22): the funds table, the fund a contribution credits, balances per fund and
// the ledger checked per fund.
public sealed partial class BenefitScheme
{
    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    public Task<bool> PublishFundsTableAsync(FundsTable table, CancellationToken cancellationToken = default) =>
        _funds.PublishAsync(table, cancellationToken);

    /// <summary>Every published funds table, oldest first, as read back from the log.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The tables.</returns>
    public Task<IReadOnlyList<FundsTable>> ListFundsTablesAsync(CancellationToken cancellationToken = default) =>
        _funds.ListAsync(cancellationToken);

    /// <summary>A worker's balance in each fund it holds: always general, and every other fund with money in it.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The sub-balances by fund token.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="worker"/> is null.</exception>
    public Task<IReadOnlyDictionary<string, Amount>> GetWorkerFundBalancesAsync(AccountId worker, CancellationToken cancellationToken = default) =>
        _context.Ledger.GetFundBalancesAsync(worker, cancellationToken);

    // The fund a contribution credits: the funds table in force now, general without one.
    private ValueTask<string> FundOfAsync(ContributionSource source, CancellationToken cancellationToken) =>
        _funds.FundAsync(source, cancellationToken);

    // The ledger replayed and checked per fund, each keyset's fund taken from its stored announcement.
    private async Task<LedgerVerification> VerifyLedgerPerFundAsync(CancellationToken cancellationToken)
    {
        var keysets = await _store.ListKeysetsAsync(cancellationToken).ConfigureAwait(false);
        var funds = keysets.ToDictionary(k => k.Announcement.Descriptor.Id, k => k.Announcement.Descriptor.Fund);
        return await _context.Ledger.VerifyAsync(funds, cancellationToken).ConfigureAwait(false);
    }
}
