using System.Text.Json;
using OpenQA.Selenium;

namespace Wallet.Audit.Report.Tests.Report;

/// <summary>
/// What the browser shows of an audit report, read from its live DOM after layout by one script, so sizes are the
/// rendered ones (getBoundingClientRect) and not what the markup asks for.
/// </summary>
public sealed record RenderedReport(
    string Title,
    RenderedReport.VerdictElement? Verdict,
    IReadOnlyList<string> SectionIds,
    IReadOnlyList<RenderedReport.Chart> Charts,
    IReadOnlyList<RenderedReport.Table> Tables,
    IReadOnlyList<RenderedReport.CheckRow> Checks)
{
    // Every element that claims to be a chart, by class or by data-chart, so a chart that is not an svg is seen too.
    private const string Script = """
        const drawn = 'rect, path, line, circle, polyline, polygon, ellipse';
        const verdict = document.getElementById('verdict');
        return JSON.stringify({
          title: document.title,
          verdict: verdict === null ? null : {
            tag: verdict.localName, outcome: verdict.getAttribute('data-outcome'), text: verdict.textContent.trim() },
          sectionIds: Array.from(document.querySelectorAll('section[id]'), s => s.id),
          charts: Array.from(document.querySelectorAll('.chart, [data-chart]'), c => {
            const box = c.getBoundingClientRect();
            return {
              tag: c.localName, isSvg: c instanceof SVGSVGElement, isChartClass: c.classList.contains('chart'),
              name: c.getAttribute('data-chart'), keyset: c.getAttribute('data-keyset'),
              role: c.getAttribute('role'), label: c.getAttribute('aria-label'),
              width: box.width, height: box.height, drawnElements: c.querySelectorAll(drawn).length };
          }),
          tables: Array.from(document.querySelectorAll('table[data-table]'), t => ({
            name: t.getAttribute('data-table'),
            bodyRows: Array.from(t.tBodies).reduce((n, b) => n + b.rows.length, 0) })),
          checks: Array.from(document.querySelectorAll('tr[data-check]'), r => ({
            name: r.getAttribute('data-check'), outcome: r.getAttribute('data-outcome') })),
        });
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads the report open in <paramref name="driver"/>.</summary>
    public static RenderedReport Read(IWebDriver driver)
    {
        string json = (string)((IJavaScriptExecutor)driver).ExecuteScript(Script)!;
        return JsonSerializer.Deserialize<RenderedReport>(json, Json)
            ?? throw new InvalidOperationException("The report's DOM read as null.");
    }

    /// <summary>The element with id <c>verdict</c>.</summary>
    public sealed record VerdictElement(string Tag, string? Outcome, string Text);

    /// <summary>An element marked as a chart, with its rendered size and how many shapes it draws.</summary>
    public sealed record Chart(
        string Tag, bool IsSvg, bool IsChartClass, string? Name, string? Keyset, string? Role, string? Label,
        double Width, double Height, int DrawnElements);

    /// <summary>A <c>table[data-table]</c> and the number of rows in its bodies.</summary>
    public sealed record Table(string? Name, int BodyRows);

    /// <summary>A <c>tr[data-check]</c>.</summary>
    public sealed record CheckRow(string? Name, string? Outcome);
}
