using Wallet.Audit.Report.Tests.Browser;

namespace Wallet.Audit.Report.Tests.Report;

/// <summary>
/// The audit report's DOM contract, one rule per method, each returning what a rendered page breaks of it (empty
/// when it holds), so a test can show both that a good report passes and that a broken one is caught.
/// </summary>
internal static class ReportContract
{
    public const string TitlePrefix = "WalletCore audit report";

    public static readonly string[] Sections = ["summary", "keysets", "activity", "anonymity", "flows", "checkpoints", "checks"];

    public static readonly string[] ChartNames = ["activity", "anonymity", "flows"];

    public static readonly string[] TableNames = ["keysets", "anonymity", "flows", "checkpoints", "witnesses", "checks"];

    private static readonly string[] Outcomes = ["pass", "fail"];

    public static IReadOnlyList<string> Title(RenderedReport report) =>
        report.Title.StartsWith(TitlePrefix, StringComparison.Ordinal) ? [] : [$"title \"{report.Title}\" does not start with \"{TitlePrefix}\""];

    public static IReadOnlyList<string> Verdict(RenderedReport report)
    {
        if (report.Verdict is not { } verdict)
        {
            return ["no element with id verdict"];
        }

        var problems = new List<string>();
        if (verdict.Tag != "p")
        {
            problems.Add($"#verdict is a <{verdict.Tag}>, not a <p>");
        }

        if (!Outcomes.Contains(verdict.Outcome))
        {
            problems.Add($"#verdict has data-outcome \"{verdict.Outcome}\", not pass or fail");
        }

        if (verdict.Text.Length == 0)
        {
            problems.Add("#verdict is empty");
        }

        return problems;
    }

    public static IReadOnlyList<string> SectionsPresent(RenderedReport report) =>
        [.. Sections.Where(id => !report.SectionIds.Contains(id)).Select(id => $"no section with id {id}")];

    public static IReadOnlyList<string> Charts(RenderedReport report)
    {
        var problems = new List<string>();
        foreach (var chart in report.Charts)
        {
            string name = $"chart \"{chart.Name}\"{(chart.Keyset is null ? string.Empty : $" of keyset {chart.Keyset}")}";
            if (!chart.IsSvg || !chart.IsChartClass)
            {
                problems.Add($"{name} is a <{chart.Tag}>{(chart.IsChartClass ? string.Empty : " without class chart")}, not an <svg class=\"chart\">");
            }

            if (!ChartNames.Contains(chart.Name))
            {
                problems.Add($"{name} has no known data-chart name");
            }

            if (chart.Role != "img" || string.IsNullOrWhiteSpace(chart.Label))
            {
                problems.Add($"{name} lacks role=\"img\" and an aria-label");
            }

            if (chart.Width <= 0 || chart.Height <= 0)
            {
                problems.Add($"{name} is rendered {chart.Width}x{chart.Height}");
            }

            if (chart.DrawnElements == 0)
            {
                problems.Add($"{name} draws nothing (no rect, path, line, circle or polyline)");
            }
        }

        foreach (string single in ChartNames.Where(n => n != "activity"))
        {
            int count = report.Charts.Count(c => c.Name == single);
            if (count != 1)
            {
                problems.Add($"{count} \"{single}\" charts, not one");
            }
        }

        // One activity chart per keyset: as many as the keysets table has rows, each naming a different keyset.
        var activity = report.Charts.Where(c => c.Name == "activity").ToList();
        int keysets = report.Tables.FirstOrDefault(t => t.Name == "keysets")?.BodyRows ?? 0;
        if (activity.Count == 0 || activity.Count != keysets)
        {
            problems.Add($"{activity.Count} activity charts for {keysets} keysets");
        }

        if (activity.Any(c => string.IsNullOrWhiteSpace(c.Keyset)) || activity.Select(c => c.Keyset).Distinct().Count() != activity.Count)
        {
            problems.Add("activity charts do not each name a different keyset (data-keyset)");
        }

        return problems;
    }

    public static IReadOnlyList<string> Tables(RenderedReport report)
    {
        var problems = new List<string>();
        foreach (string name in TableNames)
        {
            var tables = report.Tables.Where(t => t.Name == name).ToList();
            if (tables.Count != 1)
            {
                problems.Add($"{tables.Count} tables with data-table=\"{name}\", not one");
            }
            else if (tables[0].BodyRows == 0)
            {
                problems.Add($"table \"{name}\" has no body row");
            }
        }

        return problems;
    }

    public static IReadOnlyList<string> Checks(RenderedReport report)
    {
        var problems = new List<string>();
        if (report.Checks.Count == 0)
        {
            problems.Add("no check rows (tr[data-check])");
        }

        foreach (var check in report.Checks)
        {
            if (string.IsNullOrWhiteSpace(check.Name))
            {
                problems.Add("a check row without a name");
            }

            if (!Outcomes.Contains(check.Outcome))
            {
                problems.Add($"check \"{check.Name}\" has data-outcome \"{check.Outcome}\", not pass or fail");
            }
        }

        return problems;
    }

    /// <summary>
    /// The page loaded nothing but itself: Chromium's performance log shows no request besides the document's own
    /// (it sees every load, file: ones included), and the page's own resource timing, a second witness from inside
    /// the page for http(s) loads, has no entry. A log without the document's request is a problem too: it would mean
    /// the log is not being read, and an empty one would pass for a clean page.
    /// </summary>
    public static IReadOnlyList<string> NoRequests(LoadedPage page)
    {
        var problems = new List<string>();
        var others = page.Requests.ToList();
        int own = others.FindIndex(r => r.Type == "Document" && r.Url == page.Url.AbsoluteUri);
        if (own < 0)
        {
            problems.Add($"the performance log has no request for the page itself ({page.Url.AbsoluteUri}): the log is not being read");
        }
        else
        {
            others.RemoveAt(own);
        }

        problems.AddRange(others.Select(r => $"request sent: {r.Type} {r.Url}"));
        problems.AddRange(page.ResourceEntries.Select(name => $"resource timing entry: {name}"));
        return problems;
    }
}
