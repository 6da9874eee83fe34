namespace Wallet.Protocol.AspNetCore.PrivacyPass;

/// <summary>
/// A Privacy Pass issuer for token type 0x0002 (publicly verifiable, blind RSA): answers a TokenRequest with the blind
/// signature of its blinded message. Any conforming client can obtain tokens from it; any verifier holding the token
/// key checks them as RSASSA-PSS-SHA384 (salt 48) signatures over the token input.
/// </summary>
/// <remarks>
/// RFC 9578 section 6 (issuance protocol for publicly verifiable tokens): RSABSSA-SHA384-PSS-Deterministic (RFC 9474)
/// with a 2048-bit key, so <c>Nk</c> = 256; the token key is published as an RSASSA-PSS SubjectPublicKeyInfo and its
/// id is SHA-256 of that encoding. The signer checks its own output (RFC 9474 section 4.3) before it leaves.
/// </remarks>
public sealed class PrivacyPassIssuer
{
    /// <summary>The token type served: 0x0002.</summary>
    public const ushort TokenType = 0x0002;

    /// <summary>The modulus length in bytes, <c>Nk</c>.</summary>
    public const int Nk = 256;

    private readonly BlindRsaSigner _signer;
    private readonly byte[] _tokenKey;
    private readonly byte[] _tokenKeyId;

    /// <summary>Creates the issuer over a blind RSA key, which is not owned.</summary>
    /// <param name="signingKey">A 2048-bit RSABSSA key.</param>
    /// <param name="notBefore">When the key becomes valid, published in the directory; null omits it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="signingKey"/> is null.</exception>
    /// <exception cref="ArgumentException">The key is not a 2048-bit RSABSSA key.</exception>
    public PrivacyPassIssuer(BlindRsaPrivateKey signingKey, DateTimeOffset? notBefore = null)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        if (signingKey.Scheme != BlindRsaScheme.Rsabssa || signingKey.ModulusBits != Nk * 8)
        {
            throw new ArgumentException("Token type 2 needs a 2048-bit RSABSSA key (RFC 9578 section 6).", nameof(signingKey));
        }

        _signer = new BlindRsaSigner(signingKey);
        _tokenKey = signingKey.PublicKey.ExportRsaPssSubjectPublicKeyInfo();
        _tokenKeyId = SHA256.HashData(_tokenKey);
        NotBefore = notBefore;
    }

    /// <summary>The token key: the RSASSA-PSS SubjectPublicKeyInfo DER that the directory publishes.</summary>
    public ReadOnlySpan<byte> TokenKey => _tokenKey;

    /// <summary>The token key id, SHA-256 of <see cref="TokenKey"/>.</summary>
    public ReadOnlySpan<byte> TokenKeyId => _tokenKeyId;

    /// <summary>When the key becomes valid, if published.</summary>
    public DateTimeOffset? NotBefore { get; }

    /// <summary>
    /// Answers a TokenRequest (<c>u16 token_type ‖ u8 truncated_token_key_id ‖ blinded_msg[Nk]</c>) with a TokenResponse
    /// (<c>blind_sig[Nk]</c>).
    /// </summary>
    /// <param name="tokenRequest">The request bytes.</param>
    /// <param name="tokenResponse">The response bytes when the request is valid.</param>
    /// <returns>False when the token type, truncated key id or length is wrong, or the blinded message is not below the modulus (RFC 9578 section 6.2).</returns>
    public bool TryIssue(ReadOnlySpan<byte> tokenRequest, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? tokenResponse)
    {
        tokenResponse = null;
        if (tokenRequest.Length != 3 + Nk
            || BinaryPrimitives.ReadUInt16BigEndian(tokenRequest) != TokenType
            || tokenRequest[2] != _tokenKeyId[^1])
        {
            return false;
        }

        try
        {
            tokenResponse = _signer.BlindSign(BlindedMessage.FromBytes(tokenRequest[3..])).ToArray();
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            return false;
        }
    }
}
