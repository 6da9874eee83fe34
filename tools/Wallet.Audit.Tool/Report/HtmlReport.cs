using System.Text;

namespace Wallet.Audit.Tool.Report;

/// <summary>
/// Renders the audit report as one self-contained HTML page: an inline style sheet, inline SVG charts, no script and
/// no external resource. Every string from the log or the mirror is HTML-encoded.
/// </summary>
/// <remarks>
/// The page's structure is a contract that browser tests rely on: a title starting "WalletCore audit report";
/// <c>p#verdict[data-outcome]</c>; sections <c>summary</c>, <c>keysets</c>, <c>activity</c>, <c>anonymity</c>,
/// <c>flows</c>, <c>checkpoints</c>, <c>checks</c>; charts <c>svg.chart[data-chart]</c> (<c>activity</c> once per keyset
/// with <c>data-keyset</c>, <c>anonymity</c>, <c>flows</c>); tables <c>table[data-table]</c>; and one
/// <c>tr[data-check][data-outcome]</c> per check.
/// </remarks>
internal static class HtmlReport
{
    private const string Style = """
        body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1000px;padding:1rem 1.5rem;color:#1a202c;background:#fff}
        h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:1px solid #cbd5e0;padding-bottom:.2rem;margin-top:2rem}
        table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}th,td{border:1px solid #e2e8f0;padding:.25rem .45rem;text-align:left;vertical-align:top}
        th{background:#f7fafc}td.num{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.82rem;word-break:break-all}
        #verdict{font-size:1.15rem;font-weight:600;padding:.6rem .8rem;border-radius:4px}
        #verdict[data-outcome=pass]{background:#c6f6d5;color:#22543d}#verdict[data-outcome=fail]{background:#fed7d7;color:#742a2a}
        tr[data-outcome=pass] td.outcome{color:#22543d;font-weight:600}tr[data-outcome=fail] td.outcome{color:#9b2c2c;font-weight:700}
        tr[data-outcome=fail]{background:#fff5f5}svg.chart{display:block;max-width:100%;height:auto;margin:.5rem 0 1rem}
        svg .axis{stroke:#4a5568;stroke-width:1}svg .tick{font-size:11px;fill:#4a5568}svg .muted{font-size:12px;fill:#718096}
        .note{color:#4a5568;font-size:.9rem}figure{margin:0}figcaption{font-weight:600;font-size:.9rem}
        """;

    public static string Render(ReportModel model)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append($"<title>WalletCore audit report: {Html.Encode(model.Origin)}</title>\n")
            .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append($"<h1>WalletCore audit report</h1>\n<p class=\"note\">Log <code>{Html.Encode(model.Origin)}</code>, generated {Html.Time(model.GeneratedAt)} from the mirror alone (the scheme's public log and checkpoints).</p>\n");
        Verdict(html, model);
        Summary(html, model);
        Keysets(html, model);
        Activity(html, model);
        Anonymity(html, model);
        Flows(html, model);
        Checkpoints(html, model);
        Checks(html, model);
        return html.Append("</body>\n</html>\n").ToString();
    }

    private static void Verdict(StringBuilder html, ReportModel model)
    {
        var failed = model.Checks.Where(c => !c.Passed).Select(c => c.Name).ToList();
        string text = failed.Count == 0
            ? $"Pass: all {model.Checks.Count} checks passed."
            : $"Fail: {failed.Count} of {model.Checks.Count} checks failed ({string.Join(", ", failed)}).";
        html.Append($"<p id=\"verdict\" data-outcome=\"{(failed.Count == 0 ? "pass" : "fail")}\">{Html.Encode(text)}</p>\n");
    }

    private static void Summary(StringBuilder html, ReportModel model)
    {
        var s = model.Summary;
        html.Append("<section id=\"summary\">\n<h2>Summary</h2>\n<ul>\n")
            .Append($"<li>{Html.Number((long)s.Entries)} log entries mirrored; latest checkpoint: tree size {Html.Number((long)s.TreeSize)}, root <code>{Html.Encode(s.Root)}</code>.</li>\n")
            .Append($"<li>{s.CheckpointCount} checkpoint(s) stored; log key <code>{Html.Encode(model.LogVerifierKey)}</code>.</li>\n")
            .Append($"<li>{model.Keysets.Count} keyset(s); {model.Witnesses.Count} witness(es) configured{(model.Witnesses.Count > 0 ? $", quorum {model.Quorum}" : "")}.</li>\n")
            .Append($"<li>{(s.Forks == 0 ? "No split view (fork) found." : $"{s.Forks} split view(s) (fork) found: see the checks.")}</li>\n")
            .Append("</ul>\n</section>\n");
    }

    private static void Keysets(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"keysets\">\n<h2>Keysets and their windows</h2>\n<table data-table=\"keysets\">\n<thead><tr><th>keyset</th><th>epoch</th><th>fund</th><th>denomination</th><th>mode</th><th>withdraw from</th><th>withdraw until</th><th>spend until</th><th>deposit until</th></tr></thead>\n<tbody>\n");
        foreach (var k in model.Keysets)
        {
            html.Append($"<tr><td><code>{Html.Encode(k.Id)}</code></td><td class=\"num\">{k.Epoch}</td><td>{Html.Encode(k.Fund)}</td><td class=\"num\">{Html.Number(k.Denomination)}</td><td>{Html.Encode(k.Mode)}</td><td>{Html.Date(k.WithdrawFrom)}</td><td>{Html.Date(k.WithdrawUntil)}</td><td>{Html.Date(k.SpendUntil)}</td><td>{Html.Date(k.DepositUntil)}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Activity(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"activity\">\n<h2>Issuance, spends and expiry per keyset</h2>\n")
            .Append("<p class=\"note\">Coins per day, from the coarse times the log records carry (issuance and swap outputs as issued; deposits, swap and recovery inputs as spent; expiry as the coins left unspent).</p>\n");
        foreach (var series in model.Activity)
        {
            html.Append($"<figure><figcaption>Keyset <code>{Html.Encode(series.Keyset)}</code> ({Html.Encode(series.Fund)}, denomination {Html.Number(series.Denomination)})</figcaption>\n")
                .Append(SvgCharts.Activity(series)).Append("\n</figure>\n");
        }

        html.Append("</section>\n");
    }

    private static void Anonymity(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"anonymity\">\n<h2>Anonymity set per keyset</h2>\n")
            .Append("<p>Coins of one keyset look alike to the scheme: a spent coin hides among the coins of its keyset issued before it was spent, so the coins issued per keyset bound each spender's anonymity set, and the outstanding ones are the crowd that later spends still hide in. A keyset with few coins gives little cover.</p>\n")
            .Append("<p class=\"note\">These figures are measured from the public log. The pilot's linkage figure (docs/PROTOCOL.md 6.1: how well timing and metadata link deposits to accounts) needs the scheme's private records, is not in the log, and so is not shown here.</p>\n")
            .Append(SvgCharts.Anonymity(model.Anonymity)).Append('\n')
            .Append("<table data-table=\"anonymity\">\n<thead><tr><th>keyset</th><th>fund</th><th>issued</th><th>spent</th><th>outstanding</th><th>reversed (never issued)</th></tr></thead>\n<tbody>\n");
        foreach (var r in model.Anonymity)
        {
            html.Append($"<tr><td><code>{Html.Encode(r.Keyset)}</code></td><td>{Html.Encode(r.Fund)}</td><td class=\"num\">{Html.Number(r.Issued)}</td><td class=\"num\">{Html.Number(r.Spent)}</td><td class=\"num\">{Html.Number(r.Outstanding)}</td><td class=\"num\">{Html.Number(r.Reversed)}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Flows(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"flows\">\n<h2>Value flows per fund and provider category</h2>\n")
            .Append("<p class=\"note\">Values in minor units. Funds come from the keysets; provider categories from the accreditation registry and the default allocations, which name providers. Deposits name no provider in the log (coercion resistance), so spends appear per fund only.</p>\n")
            .Append(SvgCharts.Flows(model.Flows)).Append('\n')
            .Append("<table data-table=\"flows\">\n<thead><tr><th>kind</th><th>name</th><th>issued</th><th>spent</th><th>expired</th><th>default-allocated</th><th>accredited providers</th></tr></thead>\n<tbody>\n");
        foreach (var r in model.Flows)
        {
            html.Append($"<tr><td>{Html.Encode(r.Kind)}</td><td>{Html.Encode(r.Name)}</td><td class=\"num\">{Html.Number(r.Issued)}</td><td class=\"num\">{Html.Number(r.Spent)}</td><td class=\"num\">{Html.Number(r.Expired)}</td><td class=\"num\">{Html.Number(r.Allocated)}</td><td>{(r.Providers.Count == 0 ? "" : $"{r.Providers.Count}: {Html.Encode(string.Join(", ", r.Providers))}")}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Checkpoints(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"checkpoints\">\n<h2>Checkpoints and witnesses</h2>\n<table data-table=\"checkpoints\">\n<thead><tr><th>#</th><th>tree size</th><th>root</th><th>fetched</th><th>signature lines</th><th>cosigned by configured witnesses</th></tr></thead>\n<tbody>\n");
        foreach (var c in model.Checkpoints)
        {
            html.Append($"<tr><td class=\"num\">{c.Sequence}</td><td class=\"num\">{Html.Number((long)c.TreeSize)}</td><td><code>{Html.Encode(c.Root)}</code></td><td>{Html.Time(c.FetchedAt)}</td><td>{Html.Encode(string.Join(", ", c.Signers))}</td><td>{Html.Encode(c.CosignedBy.Count == 0 ? "none" : string.Join(", ", c.CosignedBy))}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n")
            .Append($"<p class=\"note\">{(model.Witnesses.Count == 0 ? "No witnesses are configured for this mirror." : $"Witness policy: {model.Quorum} of {model.Witnesses.Count} configured witnesses must cosign the latest checkpoint.")}</p>\n")
            .Append("<table data-table=\"witnesses\">\n<thead><tr><th>witness</th><th>verifier key</th><th>cosigned the latest checkpoint</th></tr></thead>\n<tbody>\n");
        foreach (var w in model.Witnesses)
        {
            html.Append($"<tr><td>{Html.Encode(w.Name)}</td><td><code>{Html.Encode(w.VerifierKey)}</code></td><td>{(w.CosignedLatest ? "yes" : "no")}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void Checks(StringBuilder html, ReportModel model)
    {
        html.Append("<section id=\"checks\">\n<h2>Checks</h2>\n<table data-table=\"checks\">\n<thead><tr><th>check</th><th>outcome</th><th>detail</th></tr></thead>\n<tbody>\n");
        foreach (var c in model.Checks)
        {
            string outcome = c.Passed ? "pass" : "fail";
            html.Append($"<tr data-check=\"{Html.Encode(c.Name)}\" data-outcome=\"{outcome}\"><td><code>{Html.Encode(c.Name)}</code></td><td class=\"outcome\">{outcome}</td><td>{Html.Encode(c.Detail)}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }
}
