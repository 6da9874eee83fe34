namespace Wallet.Audit.Tool.Cli;

/// <summary>The scheme URL argument: an absolute http or https URL.</summary>
internal static class SchemeUrl
{
    /// <exception cref="ToolException">The text is not an absolute http(s) URL (<see cref="ExitCodes.Usage"/>).</exception>
    public static Uri Parse(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new ToolException(ExitCodes.Usage, $"'{text}' is not an absolute http or https URL such as http://127.0.0.1:5080/pb1/.");
}
