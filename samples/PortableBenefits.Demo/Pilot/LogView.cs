using System.Collections.Concurrent;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Wallets;

namespace PortableBenefits.Demo.Pilot;

/// <summary>
/// One signed tree head and the proofs wallets need to move to it, fetched once through <see cref="ISchemeClient"/>
/// and shared by every wallet that syncs at that moment (an HTTP deployment would cache them the same way).
/// </summary>
internal sealed class LogView
{
    private readonly ISchemeClient _client;
    private readonly ConcurrentDictionary<ulong, Lazy<Task<ConsistencyProof>>> _consistency = new();

    private LogView(ISchemeClient client, SignedTreeHead head, IReadOnlyList<(PublishedKeyset Keyset, InclusionProof Proof)> keysets)
    {
        _client = client;
        Head = head;
        Keysets = keysets;
    }

    public SignedTreeHead Head { get; }

    public IReadOnlyList<(PublishedKeyset Keyset, InclusionProof Proof)> Keysets { get; }

    public static async Task<LogView> FetchAsync(ISchemeClient client, CancellationToken cancellationToken)
    {
        var head = await client.GetTreeHeadAsync(cancellationToken);
        var keysets = new List<(PublishedKeyset, InclusionProof)>();
        foreach (var keyset in await client.ListKeysetsAsync(cancellationToken))
        {
            keysets.Add((keyset, await client.GetInclusionProofAsync(keyset.LogIndex, head.TreeSize, cancellationToken)));
        }

        return new LogView(client, head, keysets);
    }

    /// <summary>Moves a wallet to this head (consistency-checked) and trusts every keyset it does not know yet (inclusion-checked).</summary>
    public async Task<bool> SyncAsync(WorkerWallet wallet, CancellationToken cancellationToken)
    {
        var previous = wallet.TrustedTreeHead;
        ConsistencyProof? proof = null;
        if (previous is not null && previous.TreeSize != Head.TreeSize)
        {
            proof = await _consistency.GetOrAdd(previous.TreeSize, size => new Lazy<Task<ConsistencyProof>>(() => _client.GetConsistencyProofAsync(size, Head.TreeSize, cancellationToken))).Value;
        }

        if (wallet.ObserveTreeHead(Head, proof) != TreeHeadStatus.Accepted)
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
}
