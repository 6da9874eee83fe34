using System.Text;

namespace Wallet.Audit.Tool.Report;

/// <summary>
/// The report's charts as inline SVG (no script, no external resource): grouped bars over days for a keyset's activity,
/// stacked horizontal bars for anonymity sets, grouped horizontal bars for value flows. Every mark has a
/// <c>&lt;title&gt;</c>, which browsers show as a tooltip and screen readers read.
/// </summary>
internal static class SvgCharts
{
    public const string IssuedColour = "#2b6cb0";
    public const string SpentColour = "#dd6b20";
    public const string ExpiredColour = "#718096";
    public const string AllocatedColour = "#38a169";

    private const int Width = 720;
    private const int Left = 56;
    private const int Right = 12;

    // Horizontal charts: the label column's width.
    private const int LabelWidth = 240;

    public static string Activity(ReportModel.ActivitySeries series)
    {
        const int height = 220, top = 16, bottom = 40;
        string label = $"Coins of keyset {series.Keyset} ({series.Fund}, {series.Denomination}) issued, spent and expired per day";
        var svg = Open("activity", label, height, $" data-keyset=\"{Html.Encode(series.Keyset)}\"");
        double plot = Width - Left - Right, plotHeight = height - top - bottom;
        long max = Math.Max(1, series.Points.Select(p => Math.Max(p.Issued, Math.Max(p.Spent, p.Expired))).DefaultIfEmpty(0).Max());
        Axis(svg, top, plotHeight, max);
        if (series.Points.Count == 0)
        {
            svg.Append($"<text x=\"{Left + 8}\" y=\"{top + 20}\" class=\"muted\">No issuance, spend or expiry of this keyset in the log.</text>");
        }

        double slot = plot / Math.Max(1, series.Points.Count);
        double bar = Math.Max(1, (slot * 0.8) / 3);
        for (int i = 0; i < series.Points.Count; i++)
        {
            var point = series.Points[i];
            double x = Left + (i * slot) + (slot * 0.1);
            (long Value, string Colour, string What)[] bars = [(point.Issued, IssuedColour, "issued"), (point.Spent, SpentColour, "spent"), (point.Expired, ExpiredColour, "expired")];
            for (int b = 0; b < bars.Length; b++)
            {
                double h = plotHeight * bars[b].Value / max;
                svg.Append($"<rect x=\"{Html.Coord(x + (b * bar))}\" y=\"{Html.Coord(top + plotHeight - h)}\" width=\"{Html.Coord(bar)}\" height=\"{Html.Coord(h)}\" fill=\"{bars[b].Colour}\"><title>{point.Day:yyyy-MM-dd}: {Html.Number(bars[b].Value)} {bars[b].What}</title></rect>");
            }
        }

        if (series.Points.Count > 0)
        {
            svg.Append($"<text x=\"{Left}\" y=\"{height - 22}\" class=\"tick\">{series.Points[0].Day:yyyy-MM-dd}</text>");
            svg.Append($"<text x=\"{Width - Right}\" y=\"{height - 22}\" class=\"tick\" text-anchor=\"end\">{series.Points[^1].Day:yyyy-MM-dd}</text>");
        }

        Legend(svg, height - 6, [("issued", IssuedColour), ("spent", SpentColour), ("expired", ExpiredColour)]);
        return svg.Append("</svg>").ToString();
    }

    public static string Anonymity(IReadOnlyList<ReportModel.AnonymityRow> rows)
    {
        const int row = 26, top = 8;
        int height = top + (Math.Max(1, rows.Count) * row) + 30;
        var svg = Open("anonymity", "Coins issued per keyset, split into spent and outstanding", height, "");
        long max = Math.Max(1, rows.Select(r => r.Issued).DefaultIfEmpty(0).Max());
        double plot = Width - LabelWidth - Right;
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            double y = top + (i * row);
            double spent = plot * Math.Min(r.Spent, r.Issued) / max, outstanding = plot * Math.Max(0, r.Outstanding) / max;
            svg.Append($"<text x=\"4\" y=\"{Html.Coord(y + 15)}\" class=\"tick\">{Html.Encode(r.Keyset.Length > 12 ? r.Keyset[..12] + "…" : r.Keyset)} ({Html.Encode(Short(r.Fund))})</text>");
            svg.Append($"<rect x=\"{LabelWidth}\" y=\"{Html.Coord(y + 3)}\" width=\"{Html.Coord(spent)}\" height=\"18\" fill=\"{SpentColour}\"><title>{Html.Encode(r.Keyset)}: {Html.Number(r.Spent)} spent</title></rect>");
            svg.Append($"<rect x=\"{Html.Coord(LabelWidth + spent)}\" y=\"{Html.Coord(y + 3)}\" width=\"{Html.Coord(outstanding)}\" height=\"18\" fill=\"{IssuedColour}\"><title>{Html.Encode(r.Keyset)}: {Html.Number(r.Outstanding)} outstanding of {Html.Number(r.Issued)} issued</title></rect>");
        }

        Legend(svg, height - 6, [("spent", SpentColour), ("outstanding", IssuedColour)]);
        return svg.Append("</svg>").ToString();
    }

    public static string Flows(IReadOnlyList<ReportModel.FlowRow> rows)
    {
        const int group = 54, top = 8;
        int height = top + (Math.Max(1, rows.Count) * group) + 30;
        var svg = Open("flows", "Value per fund (issued, spent, expired, default-allocated) and per provider category (default-allocated)", height, "");
        long max = Math.Max(1, rows.Select(r => Math.Max(Math.Max(r.Issued, r.Spent), Math.Max(r.Expired, r.Allocated))).DefaultIfEmpty(0).Max());
        double plot = Width - LabelWidth - Right;
        for (int i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            double y = top + (i * group);
            svg.Append($"<text x=\"4\" y=\"{Html.Coord(y + 27)}\" class=\"tick\">{Html.Encode(r.Kind)}: {Html.Encode(Short(r.Name))}</text>");
            (long Value, string Colour, string What)[] bars = [(r.Issued, IssuedColour, "issued"), (r.Spent, SpentColour, "spent"), (r.Expired, ExpiredColour, "expired"), (r.Allocated, AllocatedColour, "default-allocated")];
            for (int b = 0; b < bars.Length; b++)
            {
                svg.Append($"<rect x=\"{LabelWidth}\" y=\"{Html.Coord(y + (b * 12))}\" width=\"{Html.Coord(plot * bars[b].Value / max)}\" height=\"10\" fill=\"{bars[b].Colour}\"><title>{Html.Encode(r.Name)}: {Html.Number(bars[b].Value)} {bars[b].What}</title></rect>");
            }
        }

        Legend(svg, height - 6, [("issued", IssuedColour), ("spent", SpentColour), ("expired", ExpiredColour), ("default-allocated", AllocatedColour)]);
        return svg.Append("</svg>").ToString();
    }

    private static string Short(string text) => text.Length > 22 ? text[..20] + "…" : text;

    private static StringBuilder Open(string chart, string label, int height, string extra) =>
        new StringBuilder()
            .Append($"<svg class=\"chart\" data-chart=\"{chart}\"{extra} role=\"img\" aria-label=\"{Html.Encode(label)}\" viewBox=\"0 0 {Width} {height}\" width=\"{Width}\" height=\"{height}\">")
            .Append($"<title>{Html.Encode(label)}</title>");

    private static void Axis(StringBuilder svg, int top, double plotHeight, long max)
    {
        svg.Append($"<line x1=\"{Left}\" y1=\"{top}\" x2=\"{Left}\" y2=\"{Html.Coord(top + plotHeight)}\" class=\"axis\"/>");
        svg.Append($"<line x1=\"{Left}\" y1=\"{Html.Coord(top + plotHeight)}\" x2=\"{Width - Right}\" y2=\"{Html.Coord(top + plotHeight)}\" class=\"axis\"/>");
        svg.Append($"<text x=\"{Left - 6}\" y=\"{top + 10}\" class=\"tick\" text-anchor=\"end\">{Html.Number(max)}</text>");
        svg.Append($"<text x=\"{Left - 6}\" y=\"{Html.Coord(top + plotHeight)}\" class=\"tick\" text-anchor=\"end\">0</text>");
    }

    private static void Legend(StringBuilder svg, int y, (string Name, string Colour)[] items)
    {
        double x = Left;
        foreach (var (name, colour) in items)
        {
            svg.Append($"<rect x=\"{Html.Coord(x)}\" y=\"{y - 10}\" width=\"10\" height=\"10\" fill=\"{colour}\"/><text x=\"{Html.Coord(x + 14)}\" y=\"{y}\" class=\"tick\">{name}</text>");
            x += 24 + (name.Length * 7);
        }
    }
}
