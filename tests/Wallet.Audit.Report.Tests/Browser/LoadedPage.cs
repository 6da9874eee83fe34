using Wallet.Audit.Report.Tests.Report;

namespace Wallet.Audit.Report.Tests.Browser;

/// <summary>A page as the browser loaded it.</summary>
/// <param name="Url">The <c>file://</c> address it was opened at.</param>
/// <param name="Requests">Every request the tab sent for it (Network.requestWillBeSent), the document's own included.</param>
/// <param name="ResourceEntries">The names of <c>performance.getEntriesByType('resource')</c>.</param>
/// <param name="Report">The report's DOM after layout.</param>
public sealed record LoadedPage(Uri Url, IReadOnlyList<SentRequest> Requests, IReadOnlyList<string> ResourceEntries, RenderedReport Report);
