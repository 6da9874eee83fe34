namespace Wallet.Protocol.Keysets;

/// <summary>How a keyset's coins are blind-signed.</summary>
public enum KeysetMode : byte
{
    /// <summary>A dedicated RSA key per keyset, RFC 9474 RSABSSA-SHA384-PSS-Deterministic (the PB/1 default).</summary>
    RsaBlind = 1,

    /// <summary>A partially blind RSA master key with the keyset descriptor as public metadata (draft-irtf-cfrg-partially-blind-rsa).</summary>
    RsaPartiallyBlind = 2,
}
