using Wallet.Audit.Tool.Tests.Report;

namespace Wallet.Audit.Report.Tests.Report;

/// <summary>The one place that says which report the rendering tests check: the audit tool's own output.</summary>
internal static class ReportUnderTest
{
    // One scenario per test run: syncing and reporting a scheme takes seconds, and every rendering test reads the same page.
    private static readonly Lazy<string> Html = new(() =>
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-report-").FullName;
        try
        {
            string path = Path.Combine(directory, "audit.html");
            WitnessedReport.WriteAsync(path).GetAwaiter().GetResult();
            return File.ReadAllText(path);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    });

    /// <summary>
    /// Writes the report <c>walletcore-audit report</c> made of a scheme with a history and a cosigning witness
    /// (<see cref="WitnessedReport"/>) into <paramref name="directory"/> and returns its HTML file's path.
    /// </summary>
    public static string WriteTo(string directory)
    {
        string path = Path.Combine(directory, "audit.html");
        File.WriteAllText(path, Html.Value);
        return path;
    }
}
