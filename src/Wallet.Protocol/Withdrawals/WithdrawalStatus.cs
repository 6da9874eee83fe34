namespace Wallet.Protocol.Withdrawals;

/// <summary>The outcome of a withdrawal at the scheme.</summary>
public enum WithdrawalStatus
{
    /// <summary>Debited and signed (or replayed from the stored response).</summary>
    Issued = 1,

    /// <summary>The account has no registered key.</summary>
    UnknownAccount = 2,

    /// <summary>The account key's signature is invalid.</summary>
    BadSignature = 3,

    /// <summary>An item names a keyset the scheme does not have (or has revoked).</summary>
    UnknownKeyset = 4,

    /// <summary>An item's keyset is outside its withdrawal window.</summary>
    KeysetNotWithdrawable = 5,

    /// <summary>A blinded message does not fit the keyset's modulus.</summary>
    MalformedItem = 6,

    /// <summary>The balance does not cover the request; nothing moved.</summary>
    InsufficientFunds = 7,

    /// <summary>The idempotency key was used before for a different request.</summary>
    IdempotencyKeyReused = 8,

    /// <summary>
    /// The debit is committed but a keyset's signing key is not loaded (for example after a restart, before the
    /// operator attached the key again): send the same request again later and it is issued, never debited twice.
    /// </summary>
    SigningKeyUnavailable = 9,

    /// <summary>
    /// The debit was reversed: a keyset of the request can never sign again (revoked, its key destroyed), so its value
    /// went back to the account and no coins will ever be issued for it. The result carries the scheme's signed
    /// <see cref="WithdrawalReversalReceipt"/>; the wallet drops the pending withdrawal.
    /// </summary>
    Reversed = 10,

    /// <summary>
    /// The account holds enough, but not in the fund of the requested coins: that money is ring-fenced in another fund
    /// (for example training money asked for as general coins, docs/PROTOCOL.md section 5.22); nothing moved. Ask for
    /// coins of the fund that holds the money.
    /// </summary>
    FundRestricted = 11,
}
