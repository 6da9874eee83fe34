namespace Wallet.Audit.Report.Tests.Report;

/// <summary>
/// A small but complete audit report written by hand to the DOM contract (Fixtures/audit-report.html): two keysets,
/// inline SVG bar and line charts, every table, passing checks. The broken-page tests edit it; the rendering tests
/// check the tool's own output instead (<see cref="ReportUnderTest"/>).
/// </summary>
internal static class ReportFixture
{
    public static string Html => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "audit-report.html"));

    /// <summary>Writes the fixture into <paramref name="directory"/> and returns the file's path.</summary>
    public static string WriteTo(string directory)
    {
        string path = Path.Combine(directory, "audit-report.html");
        File.WriteAllText(path, Html);
        return path;
    }
}
