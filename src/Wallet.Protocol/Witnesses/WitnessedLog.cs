using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>A log a <see cref="Witness"/> witnesses: its origin and the public key its checkpoints are signed with.</summary>
/// <remarks>
/// C2SP tlog-witness, "Introduction": a witness is configured with the logs' public keys, and a log is identified by
/// its origin line. In WalletCore the key's name is the origin (5.12), but other logs may name their key otherwise.
/// </remarks>
public sealed class WitnessedLog
{
    /// <summary>Creates the configuration of one log.</summary>
    /// <param name="origin">The checkpoints' origin line: non-empty, one line, with no control character.</param>
    /// <param name="logKey">The log's Ed25519 note key (a type 0x01 verifier key).</param>
    /// <exception cref="ArgumentNullException"><paramref name="origin"/> or <paramref name="logKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="origin"/> is empty or holds a control character.</exception>
    public WitnessedLog(string origin, Ed25519NoteVerifier logKey)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(logKey);
        if (origin.Length == 0 || origin.Any(char.IsControl))
        {
            throw new ArgumentException("An origin is one non-empty line with no control character.", nameof(origin));
        }

        (Origin, LogKey) = (origin, logKey);
    }

    /// <summary>The log's origin line.</summary>
    public string Origin { get; }

    /// <summary>The log's checkpoint key.</summary>
    public Ed25519NoteVerifier LogKey { get; }

    /// <summary>Describes the log.</summary>
    /// <returns><c>WitnessedLog(origin, vkey)</c>.</returns>
    public override string ToString() => $"WitnessedLog({Origin}, {LogKey.VerifierKey})";
}
