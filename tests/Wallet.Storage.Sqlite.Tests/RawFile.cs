using Microsoft.Data.Sqlite;

namespace Wallet.Storage.Sqlite.Tests;

/// <summary>Plain SQL on a database file outside any store: how the migration tests build an old file and check a new one.</summary>
internal static class RawFile
{
    /// <summary>Runs <paramref name="sql"/> on <paramref name="path"/> (one connection, closed after) with <paramref name="parameters"/> bound.</summary>
    public static void Execute(string path, string sql, params (string Name, object Value)[] parameters) =>
        Run(path, sql, parameters, command => command.ExecuteNonQuery());

    /// <summary>The first column of the first row <paramref name="sql"/> returns on <paramref name="path"/>.</summary>
    public static object? Scalar(string path, string sql) => Run(path, sql, [], command => command.ExecuteScalar());

    private static T Run<T>(string path, string sql, (string Name, object Value)[] parameters, Func<SqliteCommand, T> run)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return run(command);
    }
}
