namespace Wallet.Protocol.Payments;

/// <summary>The verdict on a <see cref="HolderProof"/>: valid, or the first check that failed, in the order of docs/PROTOCOL.md section 5.20.</summary>
public enum HolderProofStatus
{
    /// <summary>Every check passed: the sender holds the keys of exactly the payment's coins, now.</summary>
    Valid = 0,

    /// <summary>The proof names another provider.</summary>
    WrongProvider = 1,

    /// <summary>The proof was made for another purpose.</summary>
    WrongPurpose = 2,

    /// <summary>The proof names another payment than the one asked about.</summary>
    WrongPayment = 3,

    /// <summary>The proof's time lies outside the provider's clock window (<see cref="HolderProof.MaxClockSkew"/>).</summary>
    Stale = 4,

    /// <summary>The proof's coins are not exactly the payment's coins.</summary>
    WrongCoins = 5,

    /// <summary>A coin's signature does not verify.</summary>
    BadSignature = 6,

    /// <summary>The provider already accepted this very proof within its window.</summary>
    Replayed = 7,

    /// <summary>The provider knows no coins for the payment (never paid, or not kept): there is no holder to prove.</summary>
    UnknownPayment = 8,

    /// <summary>The provider's memory of recent proofs is full; try again later.</summary>
    Busy = 9,
}
