using System.Net;

namespace Wallet.Audit.Tool.Report;

/// <summary>Encoding for the report's text and attributes.</summary>
internal static class Html
{
    /// <summary>
    /// HTML-encodes text from the log (a hostile scheme may put markup in a registry name) for element content and quoted
    /// attributes alike; a "://" is written with character references so no raw URL appears in the page's source.
    /// </summary>
    public static string Encode(string? text) =>
        WebUtility.HtmlEncode(text ?? "").Replace("://", ":&#47;&#47;", StringComparison.Ordinal);

    /// <summary>A number in invariant culture with thousands separators.</summary>
    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A coordinate for SVG, in invariant culture.</summary>
    public static string Coord(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A date in ISO form.</summary>
    public static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A time in ISO form, to the second.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
