namespace Wallet.Protocol.AspNetCore.PrivacyPass;

/// <summary>The media types and well-known path of Privacy Pass issuance.</summary>
/// <remarks>RFC 9578 sections 4 and 6.1, registered in section 8.</remarks>
public static class PrivacyPassMediaTypes
{
    /// <summary>A TokenRequest.</summary>
    public const string TokenRequest = "application/private-token-request";

    /// <summary>A TokenResponse.</summary>
    public const string TokenResponse = "application/private-token-response";

    /// <summary>The issuer directory (JSON).</summary>
    public const string IssuerDirectory = "application/private-token-issuer-directory";

    /// <summary>Where the issuer directory is served.</summary>
    public const string IssuerDirectoryPath = "/.well-known/private-token-issuer-directory";
}
