using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Audit.Tool.Tests.Sync;

/// <summary>A hostile or broken scheme: answers that are not notes or bundles end the sync with a clear error and change nothing.</summary>
public sealed class MalformedAnswerTests
{
    [Fact]
    public async Task ACheckpointThatIsNotASignedNoteExitsWithTheMalformedCode()
    {
        await using var scenario = await AuditScenario.StartAsync();
        await using var hostile = await HostileAsync(scenario.World, app => app.MapGet("/bad/pb1/checkpoint", () => Results.Text("this is not a note\n")));

        var run = await ToolRun.RunAsync(["sync", new Uri(hostile.Url, "/bad/pb1/").ToString(), scenario.Directory, .. scenario.Anchors]);

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("malformed checkpoint note", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, SyncTests.Count(scenario.MirrorFile, "checkpoints"));
    }

    [Fact]
    public async Task AnEntryBundleWithBrokenFramingExitsWithTheMalformedCodeAndNothingIsStored()
    {
        await using var scenario = await AuditScenario.StartAsync();

        // The real signed checkpoint, but a bundle whose first length prefix runs past its end.
        await using var hostile = await HostileAsync(scenario.World, app =>
        {
            app.MapGet("/bad/pb1/checkpoint", async () => Results.Text((await scenario.World.Scheme.SignCheckpointAsync(ServedScheme.Origin)).Format()));
            app.MapGet("/bad/pb1/tile/entries/{**path}", () => Results.Bytes([0xff, 0xff, 1, 2, 3]));
        });

        var run = await ToolRun.RunAsync(["sync", new Uri(hostile.Url, "/bad/pb1/").ToString(), scenario.Directory, .. scenario.Anchors]);

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("malformed entry bundle", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, SyncTests.Count(scenario.MirrorFile, "entries"));
        Assert.Equal(0, SyncTests.Count(scenario.MirrorFile, "checkpoints"));
    }

    [Fact]
    public async Task BundlesThatDoNotGiveTheCheckpointRootAreAnAuditFailure()
    {
        await using var scenario = await AuditScenario.StartAsync();

        // Well-framed bundles of the right width, but of other entries: the signed root exposes them.
        await using var hostile = await HostileAsync(scenario.World, app =>
        {
            app.MapGet("/bad/pb1/checkpoint", async () => Results.Text((await scenario.World.Scheme.SignCheckpointAsync(ServedScheme.Origin)).Format()));
            app.MapGet("/bad/pb1/tile/entries/{**path}", async () =>
            {
                ulong size = (await scenario.World.Scheme.GetTreeHeadAsync()).TreeSize;
                var body = new List<byte>();
                for (ulong i = 0; i < size; i++)
                {
                    body.AddRange([0, 1, (byte)i]);
                }

                return Results.Bytes(body.ToArray());
            });
        });

        var run = await ToolRun.RunAsync(["sync", new Uri(hostile.Url, "/bad/pb1/").ToString(), scenario.Directory, .. scenario.Anchors]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("do not produce the root", run.Error, StringComparison.Ordinal);
        Assert.Equal(0, SyncTests.Count(scenario.MirrorFile, "entries"));
    }

    private static Task<ServedScheme> HostileAsync(ProtocolWorld world, Action<WebApplication> map) => ServedScheme.StartAsync(world.Scheme, map);
}
