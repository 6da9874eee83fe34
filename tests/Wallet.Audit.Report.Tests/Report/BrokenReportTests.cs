using System.Text.RegularExpressions;
using Wallet.Audit.Report.Tests.Browser;

namespace Wallet.Audit.Report.Tests.Report;

/// <summary>
/// The checks of <see cref="ReportRenderingTests"/> can fail: the fixture, broken in one way at a time, is opened in
/// the same browser and the rule that guards that part of the contract reports it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrokenReportTests(BrowserFixture browser)
{
    [Fact]
    public void ExternalImageIsCaught()
    {
        // Port 9 (discard) on loopback: nothing listens and Chromium refuses the port anyway, so nothing leaves the machine.
        var page = browser.Render(Edit(ReportFixture.Html, "</body>", "<img src=\"http://127.0.0.1:9/x.png\" alt=\"\">\n</body>"));

        var problems = ReportContract.NoRequests(page);

        Assert.Contains("request sent: Image http://127.0.0.1:9/x.png", problems);
        Assert.Contains("resource timing entry: http://127.0.0.1:9/x.png", problems);
    }

    [Fact]
    public void ExternalStylesheetIsCaught()
    {
        var page = browser.Render(Edit(ReportFixture.Html, "</head>", "<link rel=\"stylesheet\" href=\"http://127.0.0.1:9/report.css\">\n</head>"));

        var problems = ReportContract.NoRequests(page);

        Assert.Contains("request sent: Stylesheet http://127.0.0.1:9/report.css", problems);
        Assert.Contains("resource timing entry: http://127.0.0.1:9/report.css", problems);
    }

    [Fact]
    public void LocalFileImageIsCaught()
    {
        string directory = browser.NewDirectory();
        File.WriteAllBytes(Path.Combine(directory, "logo.svg"), "<svg xmlns='http://www.w3.org/2000/svg' width='8' height='8'><rect width='8' height='8'/></svg>"u8.ToArray());
        string path = Path.Combine(directory, "index.html");
        File.WriteAllText(path, Edit(ReportFixture.Html, "</body>", "<img src=\"logo.svg\" alt=\"\">\n</body>"));

        var problems = ReportContract.NoRequests(browser.Open(path));

        // Only the performance log sees it: Chromium's resource timing lists no file: loads.
        Assert.Equal([$"request sent: Image {new Uri(Path.Combine(directory, "logo.svg")).AbsoluteUri}"], problems);
    }

    [Fact]
    public void MissingAnonymityChartIsCaught()
    {
        var page = browser.Render(Edit(ReportFixture.Html, Chart("anonymity"), string.Empty));

        Assert.Contains("0 \"anonymity\" charts, not one", ReportContract.Charts(page.Report));
    }

    [Fact]
    public void MissingActivityChartOfAKeysetIsCaught()
    {
        var page = browser.Render(Edit(ReportFixture.Html, Chart("activity\" data-keyset=\"7be41d05"), string.Empty));

        Assert.Contains("1 activity charts for 2 keysets", ReportContract.Charts(page.Report));
    }

    [Fact]
    public void ChartThatDrawsNothingIsCaught()
    {
        string html = ChartPattern("flows").Replace(
            ReportFixture.Html,
            "<svg class=\"chart\" data-chart=\"flows\" role=\"img\" aria-label=\"Flows\" viewBox=\"0 0 640 130\"><text x=\"10\" y=\"20\">no data</text></svg>");
        Assert.NotEqual(ReportFixture.Html, html);

        var page = browser.Render(html);

        Assert.Contains("chart \"flows\" draws nothing (no rect, path, line, circle or polyline)", ReportContract.Charts(page.Report));
    }

    [Fact]
    public void ChartHiddenByStyleIsCaughtByItsRenderedSize()
    {
        // The markup still has the chart with its shapes; only layout shows it takes no room.
        var page = browser.Render(Edit(ReportFixture.Html, "</style>", "  svg[data-chart=\"anonymity\"] { display: none; }\n</style>"));

        Assert.Contains("chart \"anonymity\" is rendered 0x0", ReportContract.Charts(page.Report));
    }

    [Fact]
    public void ChartThatIsNotAnSvgIsCaught()
    {
        string html = ChartPattern("flows").Replace(ReportFixture.Html, "<img class=\"chart\" data-chart=\"flows\" role=\"img\" aria-label=\"Flows\" alt=\"\" width=\"640\" height=\"130\">");
        Assert.NotEqual(ReportFixture.Html, html);

        var page = browser.Render(html);

        Assert.Contains("chart \"flows\" is a <img>, not an <svg class=\"chart\">", ReportContract.Charts(page.Report));
    }

    [Fact]
    public void MissingSectionIsCaught()
    {
        var page = browser.Render(Edit(ReportFixture.Html, "<section id=\"checkpoints\">", "<section id=\"checkpoint\">"));

        Assert.Equal(["no section with id checkpoints"], ReportContract.SectionsPresent(page.Report));
    }

    [Fact]
    public void TableWithoutRowsIsCaught()
    {
        string html = Regex.Replace(ReportFixture.Html, "(<table data-table=\"witnesses\">.*?<tbody>).*?(</tbody>)", "$1$2", RegexOptions.Singleline);
        Assert.NotEqual(ReportFixture.Html, html);

        var page = browser.Render(html);

        Assert.Equal(["table \"witnesses\" has no body row"], ReportContract.Tables(page.Report));
    }

    [Fact]
    public void CheckRowWithoutOutcomeIsCaught()
    {
        var page = browser.Render(Edit(ReportFixture.Html, "<tr data-check=\"witness-quorum\" data-outcome=\"pass\">", "<tr data-check=\"witness-quorum\">"));

        Assert.Equal(["check \"witness-quorum\" has data-outcome \"\", not pass or fail"], ReportContract.Checks(page.Report));
    }

    [Fact]
    public void VerdictWithoutOutcomeIsCaught()
    {
        var page = browser.Render(Edit(ReportFixture.Html, "<p id=\"verdict\" data-outcome=\"pass\">", "<p id=\"verdict\" data-outcome=\"unknown\">"));

        Assert.Equal(["#verdict has data-outcome \"unknown\", not pass or fail"], ReportContract.Verdict(page.Report));
    }

    [Fact]
    public void OtherTitleIsCaught()
    {
        var page = browser.Render(Edit(ReportFixture.Html, "<title>WalletCore audit report", "<title>Audit report"));

        Assert.Single(ReportContract.Title(page.Report));
    }

    private static string Edit(string html, string find, string replacement)
    {
        Assert.Contains(find, html, StringComparison.Ordinal);
        return html.Replace(find, replacement, StringComparison.Ordinal);
    }

    private static string Chart(string nameAndRest) => ChartPattern(nameAndRest).Match(ReportFixture.Html).Value is { Length: > 0 } chart
        ? chart
        : throw new InvalidOperationException($"The fixture has no chart {nameAndRest}.");

    private static Regex ChartPattern(string nameAndRest) =>
        new($"<svg class=\"chart\" data-chart=\"{Regex.Escape(nameAndRest)}\".*?</svg>", RegexOptions.Singleline);
}
