using Wallet.Audit.Report.Tests.Browser;

namespace Wallet.Audit.Report.Tests.Report;

/// <summary>The report under test, opened from a file in headless Chromium, holds the DOM contract and loads nothing.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportRenderingTests(BrowserFixture browser)
{
    private readonly LoadedPage _page = browser.Open(ReportUnderTest.WriteTo(browser.NewDirectory()));

    [Fact]
    public void TitleStartsWithAuditReport() => Assert.Empty(ReportContract.Title(_page.Report));

    [Fact]
    public void VerdictIsAParagraphWithPassOrFail() => Assert.Empty(ReportContract.Verdict(_page.Report));

    [Fact]
    public void EverySectionIsPresent() => Assert.Empty(ReportContract.SectionsPresent(_page.Report));

    [Fact]
    public void EveryChartIsADrawnSvgWithARenderedSize()
    {
        Assert.NotEmpty(_page.Report.Charts);
        Assert.Empty(ReportContract.Charts(_page.Report));
    }

    [Fact]
    public void EveryTableIsPresentWithBodyRows() => Assert.Empty(ReportContract.Tables(_page.Report));

    [Fact]
    public void EveryCheckRowHasAnOutcome() => Assert.Empty(ReportContract.Checks(_page.Report));

    [Fact]
    public void PageSendsNoRequestBesidesItself()
    {
        Assert.Contains(_page.Requests, r => r.Type == "Document" && r.Url == _page.Url.AbsoluteUri);
        Assert.Empty(ReportContract.NoRequests(_page));
    }
}
