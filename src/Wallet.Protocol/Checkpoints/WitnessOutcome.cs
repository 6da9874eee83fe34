namespace Wallet.Protocol.Checkpoints;

/// <summary>What one witness did with the checkpoint of a <see cref="CosigningResult"/>.</summary>
public sealed class WitnessOutcome
{
    internal WitnessOutcome(string name, WitnessSubmission submission, bool sent) =>
        (Name, Submission, Sent) = (name, submission, sent);

    /// <summary>The witness's key name.</summary>
    public string Name { get; }

    /// <summary>Its answer, or why there was none.</summary>
    public WitnessSubmission Submission { get; }

    /// <summary>
    /// Whether the checkpoint was sent in this round; <see langword="false"/> when the witness had already cosigned or
    /// refused this same checkpoint in an earlier round, whose answer <see cref="Submission"/> repeats.
    /// </summary>
    public bool Sent { get; }

    /// <summary>Describes the outcome.</summary>
    /// <returns><c>&lt;name&gt;: &lt;submission&gt;</c>.</returns>
    public override string ToString() => $"{Name}: {Submission}{(Sent ? string.Empty : " (earlier round)")}";
}
