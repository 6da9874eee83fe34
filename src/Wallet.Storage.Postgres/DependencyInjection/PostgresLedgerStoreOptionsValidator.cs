namespace Wallet.Storage.Postgres.DependencyInjection;

/// <summary>Checks <see cref="PostgresLedgerStoreOptions"/> at start-up, so a ledger without a database fails before its first request.</summary>
internal sealed class PostgresLedgerStoreOptionsValidator : IValidateOptions<PostgresLedgerStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgresLedgerStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ValidateOptionsResult.Fail($"{nameof(PostgresLedgerStoreOptions.ConnectionString)} is required for the PostgreSQL ledger store.")
            : ValidateOptionsResult.Success;
    }
}
