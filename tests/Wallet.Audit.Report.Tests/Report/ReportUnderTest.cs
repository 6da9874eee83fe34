namespace Wallet.Audit.Report.Tests.Report;

/// <summary>The one place that says which report the rendering tests check.</summary>
internal static class ReportUnderTest
{
    /// <summary>Writes the report under test into <paramref name="directory"/> and returns its HTML file's path.</summary>
    /// <remarks>
    /// Today the hand-written fixture; to check the audit tool's own output, generate it here instead
    /// (<c>walletcore-audit report &lt;dir&gt; --html &lt;out&gt;</c> with <c>&lt;out&gt;</c> inside <paramref name="directory"/>).
    /// </remarks>
    public static string WriteTo(string directory) => ReportFixture.WriteTo(directory);
}
