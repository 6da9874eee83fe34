using System.Collections.Concurrent;
using System.Diagnostics;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Witnesses;

namespace PortableBenefits.Demo.Pilot;

/// <summary>
/// One signed tree head (or, with a witness policy, one witnessed checkpoint) and the proofs wallets need to move to
/// it, fetched once through <see cref="ISchemeClient"/> and shared by every wallet that syncs at that moment (an HTTP
/// deployment would cache them the same way).
/// </summary>
internal sealed class LogView
{
    // The server sends its checkpoint to the witnesses about once a second; a minute without a witnessed checkpoint that
    // covers the log means a witness is down or refusing, which the pilot reports instead of waiting on.
    private static readonly TimeSpan WitnessWait = TimeSpan.FromMinutes(1);

    private readonly ISchemeClient _client;
    private readonly ConcurrentDictionary<ulong, Lazy<Task<ConsistencyProof>>> _consistency = new();

    private LogView(ISchemeClient client, SignedTreeHead head, SignedNote? checkpoint, ulong size, IReadOnlyList<(PublishedKeyset Keyset, InclusionProof Proof)> keysets)
    {
        _client = client;
        Head = head;
        Checkpoint = checkpoint;
        Size = size;
        Keysets = keysets;
    }

    /// <summary>The scheme's tree head when the view was fetched (the auditor checks every one collected).</summary>
    public SignedTreeHead Head { get; }

    /// <summary>The witnessed checkpoint wallets move to, or null without a witness policy (they move to <see cref="Head"/>).</summary>
    public SignedNote? Checkpoint { get; }

    /// <summary>The tree size wallets move to and the keysets' inclusion proofs are for.</summary>
    public ulong Size { get; }

    public IReadOnlyList<(PublishedKeyset Keyset, InclusionProof Proof)> Keysets { get; }

    public static async Task<LogView> FetchAsync(ISchemeClient client, WitnessPolicy? policy, CancellationToken cancellationToken)
    {
        var head = await client.GetTreeHeadAsync(cancellationToken);
        var (checkpoint, size) = policy is null ? (null, head.TreeSize) : await WitnessedCheckpointAsync(client, policy, head.TreeSize, cancellationToken);
        var keysets = new List<(PublishedKeyset, InclusionProof)>();
        foreach (var keyset in await client.ListKeysetsAsync(cancellationToken))
        {
            keysets.Add((keyset, await client.GetInclusionProofAsync(keyset.LogIndex, size, cancellationToken)));
        }

        return new LogView(client, head, checkpoint, size, keysets);
    }

    /// <summary>Moves a wallet to this view (consistency-checked) and trusts every keyset it does not know yet (inclusion-checked).</summary>
    public async Task<bool> SyncAsync(WorkerWallet wallet, CancellationToken cancellationToken)
    {
        ulong? previous = Checkpoint is null
            ? wallet.TrustedTreeHead?.TreeSize
            : wallet.TrustedCheckpoint is { } trusted ? Wallet.Crypto.Notes.Checkpoint.Parse(trusted.Text).TreeSize : null;
        ConsistencyProof? proof = null;
        if (previous is { } from && from != Size)
        {
            proof = await _consistency.GetOrAdd(from, size => new Lazy<Task<ConsistencyProof>>(() => _client.GetConsistencyProofAsync(size, Size, cancellationToken))).Value;
        }

        var status = Checkpoint is null ? wallet.ObserveTreeHead(Head, proof) : wallet.ObserveCheckpoint(Checkpoint, proof);
        if (status != TreeHeadStatus.Accepted)
        {
            return false;
        }

        var known = wallet.Keysets.Select(k => k.Id).ToHashSet();
        foreach (var (keyset, inclusion) in Keysets)
        {
            if (!keyset.Revoked && !known.Contains(keyset.Announcement.Descriptor.Id) && !wallet.TrustKeyset(keyset.Announcement, inclusion))
            {
                return false;
            }
        }

        return true;
    }

    // Waits for a checkpoint the policy accepts that covers the log as the tree head showed it.
    private static async Task<(SignedNote, ulong)> WitnessedCheckpointAsync(ISchemeClient client, WitnessPolicy policy, ulong atLeast, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var note = await client.GetCheckpointAsync(cancellationToken);
            var result = policy.Evaluate(note);
            if (result.IsAccepted && result.Checkpoint!.TreeSize >= atLeast)
            {
                return (note, result.Checkpoint.TreeSize);
            }

            if (waited.Elapsed > WitnessWait)
            {
                throw new InvalidOperationException($"no checkpoint of {atLeast} or more entries met the witness policy within {WitnessWait.TotalSeconds:F0} s (last: {result}); are the witnesses up?");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }
}
