using System.Text.Json;
using OpenQA.Selenium;

namespace Wallet.Audit.Report.Tests.Browser;

/// <summary>One Network.requestWillBeSent event of Chromium's performance log.</summary>
/// <param name="Url">The requested URL.</param>
/// <param name="Type">The resource type Chromium gives it (Document, Image, Stylesheet, ...), if any.</param>
public sealed record SentRequest(string Url, string? Type)
{
    /// <summary>The requests in the entries of a performance log, in the order they were sent.</summary>
    /// <remarks>Each entry's message is the DevTools event as JSON: <c>{"message":{"method":...,"params":{...}},"webview":...}</c>.</remarks>
    public static IReadOnlyList<SentRequest> FromPerformanceLog(IEnumerable<LogEntry> entries)
    {
        var requests = new List<SentRequest>();
        foreach (var entry in entries)
        {
            using var json = JsonDocument.Parse(entry.Message);
            var message = json.RootElement.GetProperty("message");
            if (message.GetProperty("method").GetString() != "Network.requestWillBeSent")
            {
                continue;
            }

            var parameters = message.GetProperty("params");
            string url = parameters.GetProperty("request").GetProperty("url").GetString() ?? string.Empty;
            string? type = parameters.TryGetProperty("type", out var t) ? t.GetString() : null;
            requests.Add(new SentRequest(url, type));
        }

        return requests;
    }
}
