using Wallet.Audit.Tool.Report;

namespace Wallet.Audit.Tool.Tests.Report;

/// <summary>The renderer alone, from a plain model: no mirror, no HTTP.</summary>
public sealed class HtmlReportTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AFailedCheckMakesTheVerdictFailAndEveryStringIsEncoded()
    {
        var model = Model([new("split-view", false, "FORK of <x>: tree size 3 root aa vs tree size 3 root bb"), new("mirror-entries", true, "fine")]);

        string html = HtmlReport.Render(model);

        Assert.Contains("<p id=\"verdict\" data-outcome=\"fail\">", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-check=\"split-view\" data-outcome=\"fail\">", html, StringComparison.Ordinal);
        Assert.Contains("<tr data-check=\"mirror-entries\" data-outcome=\"pass\">", html, StringComparison.Ordinal);
        Assert.Contains("FORK of &lt;x&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<x>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TextThatLooksLikeAUrlNeverAppearsAsOneInTheSource()
    {
        var model = Model([new("audit/BadRegistry", true, "see https://evil.example/x and http://evil.example/y")]);

        string html = HtmlReport.Render(model);

        Assert.DoesNotContain("://", html, StringComparison.Ordinal);
        Assert.Contains("https:&#47;&#47;evil.example/x", html, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyLogStillHasEveryChartAndTable()
    {
        string html = HtmlReport.Render(Model([]) with { Activity = [new("ab01", "general", 100, [])] });

        Assert.Contains("data-chart=\"activity\" data-keyset=\"ab01\"", html, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"anonymity\"", html, StringComparison.Ordinal);
        Assert.Contains("data-chart=\"flows\"", html, StringComparison.Ordinal);
        Assert.Contains("<p id=\"verdict\" data-outcome=\"pass\">", html, StringComparison.Ordinal);
    }

    private static ReportModel Model(IReadOnlyList<ReportModel.CheckRow> checks) => new(
        "benefits.example.org/pb1",
        "benefits.example.org/pb1+01020304+AQ==",
        Now,
        new ReportModel.SummaryRow(0, 0, 0, "", 0),
        [],
        [],
        [],
        [],
        [],
        [],
        0,
        checks);
}
