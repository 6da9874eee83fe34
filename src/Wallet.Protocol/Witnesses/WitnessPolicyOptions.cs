using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>Options of a <see cref="WitnessPolicy"/>: the log's key, the trusted witnesses, and how many must cosign.</summary>
/// <remarks>Validated by <see cref="Validate"/>, which the <see cref="WitnessPolicy"/> constructor calls.</remarks>
public sealed class WitnessPolicyOptions
{
    /// <summary>The log's Ed25519 verifier key (type 0x01); its key name is the checkpoints' origin (PROTOCOL.md 5.12). Required.</summary>
    public string? LogVerifierKey { get; set; }

    /// <summary>The n witnesses whose cosignatures count; distinct names and distinct keys.</summary>
    public IList<WitnessKeyOptions> Witnesses { get; } = [];

    /// <summary>k: how many distinct configured witnesses must cosign a checkpoint, from 1 to the number of witnesses.</summary>
    public int Quorum { get; set; }

    /// <summary>Checks the options.</summary>
    /// <returns>One message per problem; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        if (LogVerifierKey is null)
        {
            failures.Add($"{nameof(LogVerifierKey)} is required.");
        }
        else if (!TryParse(LogVerifierKey, out NoteVerifier? log) || log is not Ed25519NoteVerifier)
        {
            failures.Add($"{nameof(LogVerifierKey)} is not an Ed25519 note verifier key (type 0x01).");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var keys = new HashSet<NoteVerifier>();
        for (int i = 0; i < Witnesses.Count; i++)
        {
            WitnessKeyOptions? witness = Witnesses[i];
            if (witness is null)
            {
                failures.Add($"{nameof(Witnesses)}[{i}] is null.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(witness.Name))
            {
                failures.Add($"{nameof(Witnesses)}[{i}].{nameof(WitnessKeyOptions.Name)} is required.");
            }
            else if (!names.Add(witness.Name))
            {
                failures.Add($"{nameof(Witnesses)}[{i}].{nameof(WitnessKeyOptions.Name)} '{witness.Name}' is used twice.");
            }

            if (witness.VerifierKey is null || !TryParse(witness.VerifierKey, out NoteVerifier? key) || key is not CosignatureV1Verifier)
            {
                failures.Add($"{nameof(Witnesses)}[{i}].{nameof(WitnessKeyOptions.VerifierKey)} is not a cosignature/v1 verifier key (type 0x04).");
            }
            else if (!keys.Add(key))
            {
                failures.Add($"{nameof(Witnesses)}[{i}].{nameof(WitnessKeyOptions.VerifierKey)} is configured twice.");
            }
        }

        if (Quorum < 1 || Quorum > Witnesses.Count)
        {
            failures.Add($"{nameof(Quorum)} is {Quorum}; it must be at least 1 and at most the {Witnesses.Count} configured witnesses.");
        }

        return failures;
    }

    private static bool TryParse(string verifierKey, [NotNullWhen(true)] out NoteVerifier? verifier)
    {
        try
        {
            verifier = NoteVerifier.Parse(verifierKey);
            return true;
        }
        catch (NoteFormatException)
        {
            verifier = null;
            return false;
        }
    }
}
