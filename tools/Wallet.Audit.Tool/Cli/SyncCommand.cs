using System.CommandLine;
using Wallet.Audit.Tool.Mirror;
using Wallet.Audit.Tool.Sync;

namespace Wallet.Audit.Tool.Cli;

/// <summary><c>sync &lt;scheme-url&gt; &lt;dir&gt;</c>: brings the mirror up to the scheme's checkpoint, checking consistency.</summary>
internal static class SyncCommand
{
    private static readonly Argument<string> Url = new("scheme-url") { Description = "The scheme's PB/1 URL, under which it serves checkpoint and tile/ (for example http://127.0.0.1:5080/pb1/)." };
    private static readonly Argument<DirectoryInfo> Dir = new("dir") { Description = "The mirror's directory (created on the first sync)." };
    private static readonly Option<string?> LogKey = new("--log-key") { Description = "The log's verifier key (Scheme.Server prints it as 'log vkey'); required on the first sync." };
    private static readonly Option<string?> AccreditationKey = new("--accreditation-key") { Description = "The accreditation body's Ed25519 key: 64 hex digits (as Scheme.Server prints it) or base64; required on the first sync." };
    private static readonly Option<string[]> Witness = new("--witness") { Description = "A witness's cosignature/v1 verifier key; repeat for each witness.", Arity = ArgumentArity.ZeroOrMore };
    private static readonly Option<int?> Quorum = new("--quorum") { Description = "How many of the witnesses must cosign (default: all of them)." };
    private static readonly Option<double> QuorumWait = new("--quorum-wait")
    {
        Description = "Seconds to keep asking for a checkpoint that meets the witness quorum before mirroring one that does not (default 30; 0 takes the first).",
        DefaultValueFactory = _ => DefaultQuorumWait.TotalSeconds,
    };

    /// <summary>How long sync waits for the witness quorum unless told otherwise: 30 s, three of the scheme's witness timeouts.</summary>
    public static readonly TimeSpan DefaultQuorumWait = TimeSpan.FromSeconds(30);

    public static Command Create(ToolContext context)
    {
        var command = new Command("sync", "Mirror the scheme's log into <dir>: verify the checkpoint's signature, fetch new entries from the tiles, check the root and the consistency with the previous checkpoint. A fork stores split-view evidence and fails.")
        {
            Url, Dir, LogKey, AccreditationKey, Witness, Quorum, QuorumWait,
        };
        command.SetAction((result, cancellationToken) => context.RunAsync(() => RunAsync(
            context,
            SchemeUrl.Parse(result.GetValue(Url)!),
            result.GetValue(Dir)!.FullName,
            new AnchorOptions(result.GetValue(LogKey), result.GetValue(AccreditationKey), result.GetValue(Witness) ?? [], result.GetValue(Quorum)),
            Wait(result.GetValue(QuorumWait)),
            cancellationToken)));
        return command;
    }

    public static async Task<int> RunAsync(ToolContext context, Uri url, string directory, AnchorOptions options, TimeSpan quorumWait, CancellationToken cancellationToken)
    {
        using var store = MirrorStore.Open(directory, create: true);
        MirrorAnchors? stored = store.ReadAnchors();
        MirrorAnchors anchors = options.Resolve(stored);
        using HttpClient http = context.HttpClientFactory();
        var sync = new MirrorSync(new SchemeFetcher(http, url), store, anchors, context.Time, context.Console.Out, context.Console.Error, context.Console.ErrorIsTerminal, quorumWait);
        int code = await sync.RunAsync(cancellationToken).ConfigureAwait(false);

        // The anchors bind the mirror once its first checkpoint verified under them, so a mistyped key never locks it.
        if (stored is null && code == ExitCodes.Ok)
        {
            store.WriteAnchors(anchors);
        }

        return code;
    }

    private static TimeSpan Wait(double seconds) => double.IsFinite(seconds) && seconds is >= 0 and <= 3600
        ? TimeSpan.FromSeconds(seconds)
        : throw new ToolException(ExitCodes.Usage, "--quorum-wait is a number of seconds from 0 to 3600.");
}
