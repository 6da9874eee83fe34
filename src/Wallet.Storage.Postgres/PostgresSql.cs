namespace Wallet.Storage.Postgres;

/// <summary>The command helpers of the PostgreSQL scheme and provider stores: one statement, its parameters, its rows.</summary>
internal static class PostgresSql
{
    internal static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? t, string sql, (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, c, t);
        foreach (var (name, value) in parameters)
        {
            // Arrays feed unnest(): their element type is stated, so an empty array or a null element still binds.
            command.Parameters.Add(value switch
            {
                byte[][] blobs => new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = blobs },
                string?[] texts => new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = texts },
                long[] numbers => new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = numbers },
                _ => new NpgsqlParameter(name, value ?? DBNull.Value),
            });
        }

        return command;
    }

    internal static async Task<int> ExecAsync(NpgsqlConnection c, NpgsqlTransaction? t, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(c, t, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<object?> ScalarAsync(NpgsqlConnection c, NpgsqlTransaction? t, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(c, t, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<List<T>> RowsAsync<T>(NpgsqlConnection c, string sql, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(c, null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
