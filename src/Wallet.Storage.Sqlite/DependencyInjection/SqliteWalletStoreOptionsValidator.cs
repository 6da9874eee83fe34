namespace Wallet.Storage.Sqlite.DependencyInjection;

/// <summary>Checks <see cref="SqliteWalletStoreOptions"/> at start-up, so a scheme without a data directory fails before its first request.</summary>
internal sealed class SqliteWalletStoreOptionsValidator : IValidateOptions<SqliteWalletStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteWalletStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.Directory)
            ? ValidateOptionsResult.Fail($"{nameof(SqliteWalletStoreOptions.Directory)} is required for the SQLite stores.")
            : ValidateOptionsResult.Success;
    }
}
