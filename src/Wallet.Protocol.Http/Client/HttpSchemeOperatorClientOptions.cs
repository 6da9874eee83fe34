namespace Wallet.Protocol.Http.Client;

/// <summary>
/// Settings of <see cref="HttpSchemeOperatorClient"/>: where the operator API is, the transport behaviour shared with
/// <see cref="HttpSchemeClient"/>, and the operator key.
/// </summary>
public sealed class HttpSchemeOperatorClientOptions : IRemoteRoleOptions
{
    /// <summary>The length of an operator key, in bytes (256 bits).</summary>
    public const int OperatorKeyLength = 32;

    /// <summary>
    /// Base address (the operator prefix, for example <c>https://scheme.example/pb1/operator/</c>), timeouts and retries;
    /// the same meaning as for <see cref="HttpSchemeClient"/>.
    /// </summary>
    public HttpSchemeClientOptions Transport { get; set; } = new();

    /// <summary>
    /// The operator key as base64url (no padding) of <see cref="OperatorKeyLength"/> bytes, sent as a bearer token.
    /// Null when the host authenticates the operator otherwise (mTLS, a handler that adds its own credentials).
    /// </summary>
    /// <remarks>Never shown by <see cref="ToString"/> nor put in any exception message.</remarks>
    public string? OperatorKey { get; set; }

    /// <summary>Checks the settings; called at registration and by the client's constructor.</summary>
    /// <returns>Null when valid, else the reason (which never contains the key).</returns>
    public string? Validate()
    {
        if (Transport is null)
        {
            return "Transport must be set.";
        }

        if (Transport.Validate() is { } problem)
        {
            return problem;
        }

        return OperatorKey is null || IsWellFormedKey(OperatorKey) ? null : $"OperatorKey must be base64url of {OperatorKeyLength} bytes.";
    }

    /// <inheritdoc/>
    public override string ToString() => $"HttpSchemeOperatorClientOptions({Transport?.BaseAddress}, key {(OperatorKey is null ? "none" : "set")})";

    private static bool IsWellFormedKey(string key)
    {
        Span<byte> bytes = stackalloc byte[OperatorKeyLength + 3];
        try
        {
            return Base64Url.IsValid(key, out int length) && length == OperatorKeyLength && Base64Url.TryDecodeFromChars(key, bytes, out int written) && written == OperatorKeyLength;
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <inheritdoc/>
    static string IRemoteRoleOptions.InvalidMessage => "Invalid HttpSchemeOperatorClientOptions: set an absolute Transport.BaseAddress, positive timeouts, 1..20 attempts and, if any, a well-formed OperatorKey.";
}
