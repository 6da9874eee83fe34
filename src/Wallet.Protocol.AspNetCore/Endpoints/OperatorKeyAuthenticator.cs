namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The built-in operator credential: an RFC 6750 bearer token carrying a 32-byte key as base64url. Only the key's
/// SHA-256 is held; the presented key is hashed and compared in constant time, then wiped. The key is never logged,
/// echoed or put in a problem.
/// </summary>
internal sealed class OperatorKeyAuthenticator(byte[] keyHash)
{
    private const string Challenge = "Bearer realm=\"walletcore-operator\"";
    private const int KeyLength = 32;

    /// <summary>True when the request carries the operator key; otherwise a 401 problem has been written.</summary>
    public async Task<bool> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers[HeaderNames.Authorization];
        bool presented = header.Count > 0;
        if (header.Count == 1 && Matches(header[0]))
        {
            return true;
        }

        // RFC 6750 section 3: no credentials, no error code; wrong ones, invalid_token.
        await Problems.WriteAsync(
            context,
            StatusCodes.Status401Unauthorized,
            ProblemTypes.Unauthorized,
            "Unauthorized",
            "The operator API needs the operator key as a bearer token.",
            presented ? Challenge + ", error=\"invalid_token\"" : Challenge).ConfigureAwait(false);
        return false;
    }

    private bool Matches(string? value)
    {
        string scheme = OperatorRoutes.BearerScheme + " ";
        if (value is null || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var token = value.AsSpan(scheme.Length).Trim();
        Span<byte> key = stackalloc byte[KeyLength + 3];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        try
        {
            // IsValid first: decoding throws on characters outside the alphabet.
            if (!Base64Url.IsValid(token, out int length) || length != KeyLength || !Base64Url.TryDecodeFromChars(token, key, out int written) || written != KeyLength)
            {
                return false;
            }

            SHA256.HashData(key[..KeyLength], hash);
            return CryptographicOperations.FixedTimeEquals(hash, keyHash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
