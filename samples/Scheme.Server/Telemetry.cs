using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Wallet.Protocol.Diagnostics;

namespace Scheme.Server;

/// <summary>
/// OpenTelemetry for the server, off unless an OTLP endpoint is configured: traces of the HTTP requests and of the
/// protocol's own activities (<see cref="WalletCoreDiagnostics.Name"/>), and the protocol's and ASP.NET Core's metrics,
/// exported over OTLP/HTTP. Spans and metrics carry operation names, statuses and counts, never request bodies, account
/// names or coin ids (docs/operations.md).
/// </summary>
internal static class Telemetry
{
    public static void AddOtlp(IServiceCollection services, Uri endpoint) =>
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("walletcore-scheme-server"))
            .WithTracing(t => t
                .AddSource(WalletCoreDiagnostics.Name)
                .AddAspNetCoreInstrumentation(o => o.RecordException = false))
            .WithMetrics(m => m
                .AddMeter(WalletCoreDiagnostics.Name)
                .AddAspNetCoreInstrumentation())
            .UseOtlpExporter(OtlpExportProtocol.HttpProtobuf, endpoint);
}
