namespace Wallet.Protocol.Checkpoints;

/// <summary>What came of sending a checkpoint to a witness: its C2SP tlog-witness answer, or why there was none.</summary>
public enum WitnessSubmissionStatus
{
    /// <summary>The witness cosigned the checkpoint ("200"); the submission carries its cosignature lines.</summary>
    Cosigned,

    /// <summary>The old size was not the size the witness last cosigned ("409", <c>text/x.tlog.size</c>); the submission carries that size.</summary>
    OldSizeMismatch,

    /// <summary>The witness holds a checkpoint of the same size with another root ("409"): it saw a fork of the log.</summary>
    Fork,

    /// <summary>The consistency proof from the witness's checkpoint did not verify ("422").</summary>
    InconsistentProof,

    /// <summary>The witness does not witness the checkpoint's origin ("404").</summary>
    UnknownOrigin,

    /// <summary>The witness found no valid signature of the log key it trusts for the origin ("403").</summary>
    NotSignedByLog,

    /// <summary>The witness could not be reached, did not answer in time, or failed (5xx, 408, 429).</summary>
    Unreachable,

    /// <summary>The witness answered something C2SP tlog-witness does not allow: a malformed body or an unexpected status.</summary>
    UnexpectedResponse,
}
