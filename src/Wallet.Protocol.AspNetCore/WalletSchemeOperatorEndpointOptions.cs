namespace Wallet.Protocol.AspNetCore;

/// <summary>
/// Authentication, limits and idempotency memory of the operator endpoints (docs/http.md "Operator API"). Mapping
/// refuses to proceed unless <see cref="AuthorizationPolicy"/> is named or an operator key is set
/// (<see cref="SetOperatorKey"/>): the operator API is never open by default.
/// </summary>
public sealed class WalletSchemeOperatorEndpointOptions
{
    /// <summary>The length of an operator key, in bytes.</summary>
    public const int OperatorKeyLength = 32;

    private byte[]? _operatorKeyHash;

    /// <summary>The route prefix, apart from the wallet-facing one. Default <c>/pb1/operator</c>.</summary>
    public string Prefix { get; set; } = OperatorRoutes.DefaultPrefix;

    /// <summary>
    /// The name of an ASP.NET Core authorization policy the host registered (for example one requiring a client
    /// certificate or an operator role); every operator endpoint requires it. May be combined with an operator key.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>The largest request body accepted, in bytes; larger ones get 413. Default 4 MiB (a default-allocation round of about 100,000 accounts).</summary>
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How many <c>Idempotency-Key</c> responses are remembered for replay; the oldest are forgotten first. Default 10,000.</summary>
    public int MaxRememberedResponses { get; set; } = 10_000;

    /// <summary>The most lines one payroll batch may carry (docs/PROTOCOL.md 5.21); a longer batch is refused whole. Default 10 000.</summary>
    public int MaxPayrollLines { get; set; } = 10_000;

    /// <summary>Whether the built-in operator key is set.</summary>
    public bool HasOperatorKey => _operatorKeyHash is not null;

    /// <summary>The SHA-256 of the operator key, the only form in which it is kept.</summary>
    internal byte[]? OperatorKeyHash => _operatorKeyHash;

    /// <summary>
    /// Requires every request to carry <paramref name="key"/> as a bearer token (base64url, no padding). Only its
    /// SHA-256 is kept; the caller still owns and wipes <paramref name="key"/>.
    /// </summary>
    /// <param name="key">The operator key: <see cref="OperatorKeyLength"/> bytes from a CSPRNG.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> is not <see cref="OperatorKeyLength"/> bytes long.</exception>
    public void SetOperatorKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != OperatorKeyLength)
        {
            throw new ArgumentException($"The operator key has {OperatorKeyLength} bytes.", nameof(key));
        }

        _operatorKeyHash = SHA256.HashData(key);
    }

    /// <summary>Checks the settings; called when the endpoints are mapped.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    /// <exception cref="InvalidOperationException">Neither <see cref="AuthorizationPolicy"/> nor an operator key is set.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Prefix) || Prefix[0] != '/')
        {
            throw new ArgumentException("Prefix must start with '/'.", nameof(Prefix));
        }

        if (MaxBodyBytes < 1024 || MaxRememberedResponses < 1)
        {
            throw new ArgumentException("MaxBodyBytes must be at least 1024 and MaxRememberedResponses at least 1.", nameof(MaxBodyBytes));
        }

        if (MaxPayrollLines is < 1 or > OperatorEnvelopes.MaxPayrollLines)
        {
            throw new ArgumentException($"MaxPayrollLines must be 1 to {OperatorEnvelopes.MaxPayrollLines}.", nameof(MaxPayrollLines));
        }

        if (AuthorizationPolicy is { Length: 0 })
        {
            throw new ArgumentException("AuthorizationPolicy must name a policy.", nameof(AuthorizationPolicy));
        }

        if (AuthorizationPolicy is null && _operatorKeyHash is null)
        {
            throw new InvalidOperationException(
                $"The operator API is authenticated by default: set {nameof(WalletSchemeOperatorEndpointOptions)}.{nameof(AuthorizationPolicy)} or call {nameof(SetOperatorKey)}.");
        }
    }
}
