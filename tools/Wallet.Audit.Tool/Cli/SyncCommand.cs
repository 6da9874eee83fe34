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

    public static Command Create(ToolContext context)
    {
        var command = new Command("sync", "Mirror the scheme's log into <dir>: verify the checkpoint's signature, fetch new entries from the tiles, check the root and the consistency with the previous checkpoint. A fork stores split-view evidence and fails.")
        {
            Url, Dir, LogKey, AccreditationKey, Witness, Quorum,
        };
        command.SetAction((result, cancellationToken) => context.RunAsync(() => RunAsync(
            context,
            SchemeUrl.Parse(result.GetValue(Url)!),
            result.GetValue(Dir)!.FullName,
            new AnchorOptions(result.GetValue(LogKey), result.GetValue(AccreditationKey), result.GetValue(Witness) ?? [], result.GetValue(Quorum)),
            cancellationToken)));
        return command;
    }

    public static async Task<int> RunAsync(ToolContext context, Uri url, string directory, AnchorOptions options, CancellationToken cancellationToken)
    {
        using var store = MirrorStore.Open(directory, create: true);
        MirrorAnchors? stored = store.ReadAnchors();
        MirrorAnchors anchors = options.Resolve(stored);
        using HttpClient http = context.HttpClientFactory();
        var sync = new MirrorSync(new SchemeFetcher(http, url), store, anchors, context.Time, context.Console.Out, context.Console.Error, context.Console.ErrorIsTerminal);
        int code = await sync.RunAsync(cancellationToken).ConfigureAwait(false);

        // The anchors bind the mirror once its first checkpoint verified under them, so a mistyped key never locks it.
        if (stored is null && code == ExitCodes.Ok)
        {
            store.WriteAnchors(anchors);
        }

        return code;
    }
}
