namespace Wallet.Protocol.Swaps;

/// <summary>The outcome of a swap or recovery. Every status except <see cref="Swapped"/> means nothing moved.</summary>
public enum SwapStatus
{
    /// <summary>The inputs are spent and the outputs blind-signed (or a retry replayed the stored response).</summary>
    Swapped = 1,
    /// <summary>An input's keyset is unknown or revoked (swap), or unknown (recovery); <see cref="SwapResult.Index"/> names the input.</summary>
    UnknownKeyset = 2,
    /// <summary>An input's keyset is not spendable now (swap) or no longer depositable.</summary>
    OutsideSpendWindow = 3,
    /// <summary>An input's issuer signature is invalid.</summary>
    BadIssuerSignature = 4,
    /// <summary>An input's coin-key signature over this swap is invalid.</summary>
    BadSpendSignature = 5,
    /// <summary>The same coin appears twice among the inputs.</summary>
    DuplicateInput = 6,
    /// <summary>An output's keyset is unknown or not withdrawable now; <see cref="SwapResult.Index"/> names the output.</summary>
    OutputNotWithdrawable = 7,
    /// <summary>An output's blinded message is not a valid integer below the keyset's modulus.</summary>
    MalformedOutput = 8,
    /// <summary>The total values match but some fund's inputs and outputs differ (a restricted coin swapped out of its fund).</summary>
    FundMismatch = 9,
    /// <summary>The value of the inputs differs from the value of the outputs.</summary>
    ValueMismatch = 10,
    /// <summary>An input was already spent; <see cref="SwapResult.Proofs"/> carries the evidence where the first spend was signed.</summary>
    DoubleSpend = 11,
    /// <summary>The idempotency key was used for a different request.</summary>
    IdempotencyKeyReused = 12,
    /// <summary>The ledger holds less outstanding value for an input's keyset than the inputs claim: the coins were never issued.</summary>
    NotIssued = 13,
    /// <summary>Recovery: the account is not registered.</summary>
    UnknownAccount = 14,
    /// <summary>Recovery: the account signature is invalid.</summary>
    BadSignature = 15,
    /// <summary>Recovery: an input's keyset is not revoked (spend or swap the coin instead).</summary>
    KeysetNotRevoked = 16,
    /// <summary>Recovery: the disclosed blinding does not produce a valid blinded message.</summary>
    BadBlinding = 17,
    /// <summary>Recovery: the recomputed blinded message was neither withdrawn by this account nor issued by a swap.</summary>
    NotWithdrawnByAccount = 18,

    /// <summary>
    /// The swap is committed in the ledger (a crash came before its answer was stored) but an output keyset's signing
    /// key is not loaded yet, for example after a restart before the keys are attached: send the same request again
    /// later and it is answered, never spent twice.
    /// </summary>
    SigningKeyUnavailable = 19,
}
