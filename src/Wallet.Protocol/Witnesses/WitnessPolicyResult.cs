using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>What <see cref="WitnessPolicy.Evaluate"/> found: the decision, the checkpoint, and which witnesses cosigned.</summary>
public sealed class WitnessPolicyResult
{
    internal WitnessPolicyResult(WitnessPolicyStatus status, Checkpoint? checkpoint, ImmutableArray<string> cosignedBy, int quorum) =>
        (Status, Checkpoint, CosignedBy, Quorum) = (status, checkpoint, cosignedBy, quorum);

    /// <summary>The decision.</summary>
    public WitnessPolicyStatus Status { get; }

    /// <summary>Whether the checkpoint may be trusted: <see cref="Status"/> is <see cref="WitnessPolicyStatus.Accepted"/>.</summary>
    [MemberNotNullWhen(true, nameof(Checkpoint))]
    public bool IsAccepted => Status == WitnessPolicyStatus.Accepted;

    /// <summary>The checkpoint, once the log's signature verified (also when the quorum was not met); otherwise <see langword="null"/>.</summary>
    public Checkpoint? Checkpoint { get; }

    /// <summary>The configured names of the distinct witnesses whose cosignatures verified, in configuration order.</summary>
    public ImmutableArray<string> CosignedBy { get; }

    /// <summary>The quorum k that applied.</summary>
    public int Quorum { get; }

    /// <summary>Describes the decision.</summary>
    /// <returns><c>Accepted (2 of k=2: w1, w2)</c> or the refusal.</returns>
    public override string ToString() => $"{Status} ({CosignedBy.Length} of k={Quorum}: {string.Join(", ", CosignedBy)})";
}
