namespace Wallet.Crypto.BlindRsa;

/// <summary>The blind signature protocol a key belongs to. A key serves exactly one scheme and refuses the other.</summary>
public enum BlindRsaScheme
{
    /// <summary>RSA blind signatures, RFC 9474 (RSABSSA).</summary>
    Rsabssa = 1,

    /// <summary>Partially blind RSA signatures with public metadata, draft-irtf-cfrg-partially-blind-rsa (RSAPBSSA); keys are built from safe primes.</summary>
    Rsapbssa = 2,
}
