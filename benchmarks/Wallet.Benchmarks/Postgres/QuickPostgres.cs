using Npgsql;
using Wallet.Benchmarks.Quick;

namespace Wallet.Benchmarks.Postgres;

/// <summary>The PostgreSQL server of a quick suite: started durable, or the suite notes why it is skipped.</summary>
internal static class QuickPostgres
{
    /// <summary>Starts a durable server (<see cref="PostgresServer.StartAsync"/>), or notes that <paramref name="suite"/> is skipped and returns null.</summary>
    public static async Task<PostgresServer?> StartOrSkipAsync(QuickReporter report, string suite)
    {
        try
        {
            return await PostgresServer.StartAsync(durable: true).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or System.ComponentModel.Win32Exception or IOException)
        {
            report.Note($"{suite}: skipped, no PostgreSQL server could be started ({ex.Message.Split('\n')[0]}); run .ci/postgres-setup or set {PostgresServer.ExternalVariable}");
            return null;
        }
    }
}
