namespace Wallet.Audit.Report.Tests.Browser;

/// <summary>Every test class that renders a page joins this collection, so one browser serves them all, one page at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "chromium";
}
