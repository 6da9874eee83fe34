namespace Wallet.Audit.Report.Tests.Browser;

/// <summary>
/// Where Debian's <c>chromium</c> and <c>chromium-driver</c> packages put the browser and its WebDriver server, or
/// the paths the environment names instead. A missing browser is a failure with instructions, never a skip: the
/// report's browser check must not pass on a machine that cannot run it (the PostgreSQL tests do the same).
/// </summary>
internal sealed record ChromiumInstallation(string Browser, string Driver)
{
    /// <summary>Overrides the browser executable (default <c>/usr/bin/chromium</c>).</summary>
    public const string BrowserVariable = "WALLETCORE_CHROMIUM";

    /// <summary>Overrides the WebDriver server (default <c>/usr/bin/chromedriver</c>).</summary>
    public const string DriverVariable = "WALLETCORE_CHROMEDRIVER";

    private const string Install =
        "Install Debian's chromium and chromium-driver packages (as root: apt-get install -y chromium chromium-driver; " +
        ".ci/chromium-setup does it and .ci/run calls it), or name the executables with " + BrowserVariable + " and " + DriverVariable + ".";

    /// <summary>Finds both executables.</summary>
    /// <exception cref="InvalidOperationException">One of them is missing; the message says how to install it.</exception>
    public static ChromiumInstallation Find()
    {
        string browser = Resolve(BrowserVariable, "/usr/bin/chromium", "the Chromium browser");
        string driver = Resolve(DriverVariable, "/usr/bin/chromedriver", "the ChromeDriver WebDriver server");
        return new ChromiumInstallation(browser, driver);
    }

    private static string Resolve(string variable, string fallback, string what)
    {
        string? set = Environment.GetEnvironmentVariable(variable);
        string path = string.IsNullOrWhiteSpace(set) ? fallback : set;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"The audit report's browser test needs {what}, and {path} does not exist. {Install}");
        }

        return path;
    }
}
