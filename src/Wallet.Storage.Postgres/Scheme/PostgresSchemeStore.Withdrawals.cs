using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Storage.Postgres.Scheme;

// Withdrawals and the blind signatures they issued, first spends and deposits (docs/PROTOCOL.md 5.4, 5.5). A put that
// writes several tables is one statement: the dependent rows are inserted only when the first row went in, so a
// retried or concurrent put (another node) neither duplicates nor mixes two answers.
public sealed partial class PostgresSchemeStore
{
    // Blind signatures by the SHA-256 of the blinded message (schema version 2), sorted so two writers lock overlapping
    // rows in one order; the first write wins.
    private const string InsertBlindSignatures = """
        INSERT INTO scheme_issued_signatures (digest, signature, account)
        SELECT sha256(b), s, @a::text FROM unnest(@b::bytea[], @s::bytea[]) WITH ORDINALITY AS x(b, s, n) WHERE EXISTS (SELECT 1 FROM head) ORDER BY sha256(b), n
        ON CONFLICT (digest) DO NOTHING
        """;

    /// <inheritdoc/>
    public ValueTask PutWithdrawalAsync(WithdrawalRequest request, WithdrawalResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        return WriteAsync(
            cancellationToken,
            "WITH head AS (INSERT INTO scheme_withdrawals (account, idem, request_hash, response) VALUES (@o, @i, @h, @r) ON CONFLICT DO NOTHING RETURNING 1)\n" + InsertBlindSignatures,
            ("o", request.Account.Value),
            ("i", request.IdempotencyKey.Value),
            ("h", request.Hash()),
            ("r", response.Encode()),
            ("a", request.Account.Value),
            ("b", request.Items.Select(item => item.BlindedMessage.ToArray()).ToArray()),
            ("s", response.BlindSignatures.Select(s => s.ToArray()).ToArray()));
    }

    /// <inheritdoc/>
    public ValueTask<StoredWithdrawal?> GetWithdrawalAsync(AccountId account, IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(key);
        return ReadRowAsync(
            cancellationToken,
            "SELECT request_hash, response FROM scheme_withdrawals WHERE account = @o AND idem = @i",
            r => new StoredWithdrawal((byte[])r[0], WithdrawalResponse.Decode((byte[])r[1])),
            ("o", account.Value),
            ("i", key.Value));
    }

    /// <inheritdoc/>
    public async ValueTask<BlindSignature?> FindBlindSignatureAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blindedMessage);
        return await ReadScalarAsync(cancellationToken, "SELECT signature FROM scheme_issued_signatures WHERE digest = sha256(@b)", ("b", blindedMessage.ToArray())).ConfigureAwait(false) is byte[] s
            ? BlindSignature.FromBytes(s)
            : null;
    }

    /// <inheritdoc/>
    public async ValueTask<AccountId?> FindWithdrawingAccountAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blindedMessage);
        return await ReadScalarAsync(cancellationToken, "SELECT account FROM scheme_issued_signatures WHERE digest = sha256(@b)", ("b", blindedMessage.ToArray())).ConfigureAwait(false) is string a
            ? new AccountId(a)
            : null;
    }

    /// <inheritdoc/>
    public ValueTask PutSpendsAsync(IReadOnlyList<CoinSpend> spends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spends);
        foreach (var spend in spends)
        {
            ArgumentNullException.ThrowIfNull(spend, nameof(spends));
        }

        return WriteAsync(cancellationToken, InsertSpends("scheme_spends"), SpendColumns(spends.Select(s => (s.Coin, s.Encode()))));
    }

    /// <inheritdoc/>
    public async ValueTask<CoinSpend?> GetSpendAsync(CoinId coin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coin);
        return await ReadScalarAsync(cancellationToken, "SELECT spend FROM scheme_spends WHERE coin = @c", ("c", coin.Bytes.ToArray())).ConfigureAwait(false) is byte[] s
            ? CoinSpend.Decode(s)
            : null;
    }

    /// <inheritdoc/>
    public ValueTask PutDepositAsync(StoredDeposit deposit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        return WriteAsync(
            cancellationToken,
            "INSERT INTO scheme_deposits (provider, idem, request_hash, receipt, payments) VALUES (@p, @i, @h, @r, @y) ON CONFLICT DO NOTHING",
            ("p", deposit.Receipt.Provider.Value),
            ("i", deposit.Receipt.IdempotencyKey.Value),
            ("h", deposit.RequestHash.ToArray()),
            ("r", deposit.Receipt.Encode()),
            ("y", PbEnvelopes.EncodeDepositPayments(deposit.Payments)));
    }

    /// <inheritdoc/>
    public ValueTask<StoredDeposit?> GetDepositAsync(AccountId provider, IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(key);
        return ReadRowAsync(
            cancellationToken,
            "SELECT request_hash, receipt, payments FROM scheme_deposits WHERE provider = @p AND idem = @i",
            r => new StoredDeposit((byte[])r[0], DepositReceipt.Decode((byte[])r[1])) { Payments = PbEnvelopes.DecodeDepositPayments((byte[])r[2]) },
            ("p", provider.Value),
            ("i", key.Value));
    }

    // Deposits' and swaps' spends alike: keyed by coin, in their canonical encoding, sorted by coin (stable, so within
    // one put the first spend of a coin is the one kept); the first write wins.
    private static string InsertSpends(string table) => $"""
        INSERT INTO {table} (coin, spend)
        SELECT c, s FROM unnest(@c::bytea[], @p::bytea[]) WITH ORDINALITY AS x(c, s, n) ORDER BY c, n
        ON CONFLICT (coin) DO NOTHING
        """;

    private static (string, object?)[] SpendColumns(IEnumerable<(Coin Coin, byte[] Encoded)> spends)
    {
        var rows = spends.ToList();
        return [("c", rows.Select(s => s.Coin.Id.Bytes.ToArray()).ToArray()), ("p", rows.Select(s => s.Encoded).ToArray())];
    }
}
