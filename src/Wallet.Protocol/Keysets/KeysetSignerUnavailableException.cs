namespace Wallet.Protocol.Keysets;

/// <summary>
/// A keyset's signer cannot sign now: its signing process is unreachable or answered with an error, or its key is not
/// (or no longer) in custody. Nothing was signed; the same request may succeed once the signer is back.
/// </summary>
/// <remarks>
/// docs/PROTOCOL.md 8.2. The scheme answers <c>SigningKeyUnavailable</c>: a withdrawal, signed before its debit, has
/// debited nothing; a swap or recovery keeps the inputs it spent, so a retry after the signer returns issues exactly the
/// coins paid for. The message names the keyset and the reason, never key material.
/// </remarks>
public sealed class KeysetSignerUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="keyset">The keyset, or null when the failure is not about one keyset (a generation, a lost connection).</param>
    /// <param name="status">The signer's typed error, or null when it was not reached or its answer was not readable.</param>
    /// <param name="reason">Why, in words that carry no secret.</param>
    /// <param name="innerException">The underlying failure, or null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is null.</exception>
    public KeysetSignerUnavailableException(KeysetId? keyset, Remote.KeysetSignerStatus? status, string reason, Exception? innerException = null)
        : base(Describe(keyset, status, reason), innerException)
    {
        (Keyset, Status) = (keyset, status);
    }

    /// <summary>The keyset, or null.</summary>
    public KeysetId? Keyset { get; }

    /// <summary>The signer's typed error, or null when it was not reached or answered unreadably.</summary>
    public Remote.KeysetSignerStatus? Status { get; }

    private static string Describe(KeysetId? keyset, Remote.KeysetSignerStatus? status, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        string who = keyset is null ? "The keyset signer" : $"The signer of keyset {keyset}";
        return status is null ? $"{who} cannot sign now: {reason}" : $"{who} cannot sign now ({status}): {reason}";
    }
}
