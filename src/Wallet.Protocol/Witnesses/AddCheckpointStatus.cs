namespace Wallet.Protocol.Witnesses;

/// <summary>What a <see cref="Witness"/> answered an add-checkpoint request, with the HTTP status C2SP tlog-witness gives each.</summary>
public enum AddCheckpointStatus
{
    /// <summary>The checkpoint was consistent with the witness's state, which now holds it, and is cosigned ("200").</summary>
    Cosigned,

    /// <summary>The witness does not witness the checkpoint's origin ("404 Not Found").</summary>
    UnknownOrigin,

    /// <summary>No signature of the log's trusted key verified, or one of its lines failed ("403 Forbidden").</summary>
    NotSignedByLog,

    /// <summary>The old size is not the size the witness last cosigned; the answer carries that size ("409 Conflict").</summary>
    OldSizeMismatch,

    /// <summary>The consistency proof from the witness's checkpoint to the new one does not verify ("422 Unprocessable Entity").</summary>
    InconsistentProof,

    /// <summary>The checkpoint has the witness's size but another root: a fork of the log ("409 Conflict").</summary>
    Fork,
}
