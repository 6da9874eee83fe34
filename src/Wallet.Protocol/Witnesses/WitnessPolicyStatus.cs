namespace Wallet.Protocol.Witnesses;

/// <summary>What a <see cref="WitnessPolicy"/> decided about a signed checkpoint.</summary>
public enum WitnessPolicyStatus
{
    /// <summary>The log signed it and at least the quorum of configured witnesses cosigned it.</summary>
    Accepted,

    /// <summary>The log's key did not sign it (or one of its lines failed), or its origin is not the log's key name.</summary>
    NotSignedByLog,

    /// <summary>The log signed a text that is not a checkpoint.</summary>
    NotACheckpoint,

    /// <summary>The log signed it, but fewer than the quorum of configured witnesses cosigned it.</summary>
    QuorumNotMet,
}
