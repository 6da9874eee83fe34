using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Wallet.Audit.Report.Tests.Report;

namespace Wallet.Audit.Report.Tests.Browser;

/// <summary>
/// One headless Chromium for the whole collection, driven through Debian's chromedriver, with a throw-away profile
/// and Chromium's performance log on so every request a page sends can be read back. Pages are written to a
/// temporary directory and opened by <c>file://</c>. If the browser cannot start, every test of the collection
/// fails with the reason (see <see cref="ChromiumInstallation"/>): none is skipped.
/// </summary>
public sealed class BrowserFixture : IDisposable
{
    /// <summary>CSS pixels of the window: wide enough for the report's 960-pixel column, shorter than the report.</summary>
    public const int WindowWidth = 1280;

    public const int WindowHeight = 800;

    private readonly DirectoryInfo _root;
    private readonly ChromeDriver _driver;

    public BrowserFixture()
    {
        var installation = ChromiumInstallation.Find();
        _root = Directory.CreateTempSubdirectory("walletcore-report-");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(installation.Driver)!, Path.GetFileName(installation.Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = installation.Browser };
        options.AddArguments(
            "--headless=new",
            "--user-data-dir=" + Path.Combine(_root.FullName, "profile"),
            $"--window-size={WindowWidth},{WindowHeight}",
            "--force-device-scale-factor=1",
            "--hide-scrollbars",
            "--no-first-run",
            "--no-default-browser-check",
            // The browser's own traffic (updates, safe browsing, metrics) is off; it would not show in the page's
            // performance log anyway, which only carries the tab's requests.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-gpu");
        if (Environment.UserName == "root")
        {
            // Chromium's sandbox refuses to start as root.
            options.AddArgument("--no-sandbox");
        }

        options.SetLoggingPreference(LogType.Performance, LogLevel.All);
        try
        {
            _driver = new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
        }
        catch (Exception e) when (e is WebDriverException or InvalidOperationException)
        {
            service.Dispose();
            _root.Delete(recursive: true);
            throw new InvalidOperationException(
                $"Could not start {installation.Browser} through {installation.Driver}: {e.Message} " +
                "The two must come from the same Chromium release (Debian's chromium and chromium-driver packages).", e);
        }
    }

    /// <summary>A new empty directory under this fixture's temporary directory, deleted with the fixture.</summary>
    public string NewDirectory() => _root.CreateSubdirectory("page-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6))).FullName;

    /// <summary>Writes <paramref name="html"/> as <c>index.html</c> into a new directory and opens it.</summary>
    public LoadedPage Render(string html)
    {
        string path = Path.Combine(NewDirectory(), "index.html");
        File.WriteAllText(path, html);
        return Open(path);
    }

    /// <summary>
    /// Opens a local HTML file and returns what the browser made of it: the requests it sent while loading and
    /// laying it out, its resource timing entries, and the report's rendered DOM.
    /// </summary>
    public LoadedPage Open(string path)
    {
        var url = new Uri(Path.GetFullPath(path));
        _driver.Navigate().GoToUrl("about:blank");
        _ = _driver.Manage().Logs.GetLog(LogType.Performance); // drain what came before this page

        // GoToUrl returns after the load event (page load strategy "normal"); reading the DOM then forces layout.
        _driver.Navigate().GoToUrl(url.AbsoluteUri);
        var report = RenderedReport.Read(_driver);
        var resources = Script("return performance.getEntriesByType('resource').map(e => e.name);") is IEnumerable<object> names
            ? names.Select(n => n?.ToString() ?? string.Empty).ToList()
            : [];
        var requests = SentRequest.FromPerformanceLog(_driver.Manage().Logs.GetLog(LogType.Performance));
        return new LoadedPage(url, requests, resources, report);
    }

    /// <summary>Runs a script in the open page and returns its result.</summary>
    public object? Script(string script) => ((IJavaScriptExecutor)_driver).ExecuteScript(script);

    /// <summary>A PNG of the whole open page, beyond the window's height, at one device pixel per CSS pixel.</summary>
    public byte[] FullPageScreenshot()
    {
        var metrics = _driver.ExecuteCdpCommand("Page.getLayoutMetrics", []) as IDictionary<string, object>
            ?? throw new InvalidOperationException("Page.getLayoutMetrics returned nothing.");
        var size = (IDictionary<string, object>)metrics["cssContentSize"];
        var clip = new Dictionary<string, object?>
        {
            ["x"] = 0,
            ["y"] = 0,
            ["width"] = Convert.ToDouble(size["width"], System.Globalization.CultureInfo.InvariantCulture),
            ["height"] = Convert.ToDouble(size["height"], System.Globalization.CultureInfo.InvariantCulture),
            ["scale"] = 1,
        };
        var shot = _driver.ExecuteCdpCommand("Page.captureScreenshot", new Dictionary<string, object?>
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = clip,
        }) as IDictionary<string, object> ?? throw new InvalidOperationException("Page.captureScreenshot returned nothing.");
        return Convert.FromBase64String((string)shot["data"]);
    }

    public void Dispose()
    {
        _driver.Quit(); // ends the browser and the chromedriver service
        _root.Delete(recursive: true);
    }
}
