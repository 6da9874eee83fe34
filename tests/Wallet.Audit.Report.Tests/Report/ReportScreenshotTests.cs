using System.Buffers.Binary;
using Wallet.Audit.Report.Tests.Browser;

namespace Wallet.Audit.Report.Tests.Report;

/// <summary>
/// A full-page PNG of the report under test. Set WALLETCORE_REPORT_SCREENSHOT to a file path to keep it (docs/ holds
/// one, audit-report.png); the test checks the picture either way.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReportScreenshotTests(BrowserFixture browser)
{
    public const string ScreenshotVariable = "WALLETCORE_REPORT_SCREENSHOT";

    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void ScreenshotCoversTheWholeReport()
    {
        var page = browser.Open(ReportUnderTest.WriteTo(browser.NewDirectory()));
        Assert.Empty(ReportContract.NoRequests(page));

        byte[] png = browser.FullPageScreenshot();

        string? keep = Environment.GetEnvironmentVariable(ScreenshotVariable);
        if (!string.IsNullOrWhiteSpace(keep))
        {
            File.WriteAllBytes(keep, png);
        }

        // The IHDR chunk follows the signature: length, "IHDR", width, height (big-endian).
        Assert.Equal(PngSignature, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        int width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));
        int height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4));
        long documentHeight = (long)browser.Script("return document.documentElement.scrollHeight;")!;
        Assert.Equal(BrowserFixture.WindowWidth, width);
        Assert.True(documentHeight > BrowserFixture.WindowHeight, $"the report ({documentHeight} px) fits the window, so the picture proves nothing about the full page");
        Assert.Equal(documentHeight, height);
    }
}
