namespace Wallet.Protocol.AspNetCore;

/// <summary>
/// An attester's verdict on whether the caller of an issuing endpoint (Privacy Pass token issuance, PB/1 withdrawals)
/// may obtain anything at all: allowed, unauthenticated (401 with a challenge) or forbidden (403).
/// </summary>
/// <remarks>
/// RFC 9576 section 4 (attestation): the issuer relies on an attester to decide who may obtain tokens; here the
/// attester is a host callback that sees the request's <see cref="HttpContext"/> (its user, certificate, headers)
/// before the body is read, so a refused caller costs no signature.
/// </remarks>
public sealed class IssuanceAttestation
{
    private IssuanceAttestation(bool isAllowed, string? challenge)
    {
        IsAllowed = isAllowed;
        Challenge = challenge;
    }

    /// <summary>The caller may proceed.</summary>
    public static IssuanceAttestation Allowed { get; } = new(true, null);

    /// <summary>The caller is known and may not obtain anything: answered 403 <c>forbidden</c>.</summary>
    public static IssuanceAttestation Forbidden { get; } = new(false, null);

    /// <summary>True when the caller may proceed.</summary>
    public bool IsAllowed { get; }

    /// <summary>The <c>WWW-Authenticate</c> challenge of an unauthenticated verdict; null for the others.</summary>
    public string? Challenge { get; }

    /// <summary>The caller did not prove who it is: answered 401 <c>unauthorized</c> with <paramref name="challenge"/> as <c>WWW-Authenticate</c>.</summary>
    /// <param name="challenge">The challenge, for example <c>Bearer</c> (RFC 9110 section 11.6.1 requires one on a 401).</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentException"><paramref name="challenge"/> is null, empty or white space.</exception>
    public static IssuanceAttestation Unauthenticated(string challenge)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(challenge);
        return new(false, challenge);
    }
}
