using Wallet.Audit.Tool.Cli;
using Wallet.Audit.Tool.Mirror;

namespace Wallet.Audit.Tool.Verify;

/// <summary>Everything a mirror holds, read once: what verify checks and report shows.</summary>
internal sealed record MirrorSnapshot(
    string Path,
    MirrorAnchors Anchors,
    IReadOnlyList<StoredEntry> Entries,
    IReadOnlyList<StoredCheckpoint> Checkpoints,
    IReadOnlyList<byte[]> TreeHeads,
    IReadOnlyList<StoredFork> Forks)
{
    /// <summary>Reads the mirror in <paramref name="directory"/>.</summary>
    /// <exception cref="ToolException">There is no mirror, or it has no anchors.</exception>
    public static MirrorSnapshot Read(string directory)
    {
        using var store = MirrorStore.Open(directory, create: false);
        MirrorAnchors anchors = store.ReadAnchors()
            ?? throw new ToolException(ExitCodes.Usage, $"The mirror {store.Path} has no trust anchors; sync it with --log-key and --accreditation-key first.");
        return new MirrorSnapshot(store.Path, anchors, store.ReadEntries(), store.ReadCheckpoints(), store.ReadTreeHeads(), store.ReadForks());
    }
}
