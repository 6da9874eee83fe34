namespace Wallet.Protocol.Wallets;

/// <summary>Why a wallet file could not be loaded.</summary>
public enum WalletFileError
{
    /// <summary>The file is not a sealed file this library can open (wrong magic, truncated header, unsupported sealing version or cost).</summary>
    NotAWalletFile = 1,

    /// <summary>The passphrase is wrong or the file was altered: the authentication tag does not verify.</summary>
    AuthenticationFailed = 2,

    /// <summary>The sealed content is from a newer wallet file format.</summary>
    UnsupportedVersion = 3,

    /// <summary>The sealed content does not decode as a canonical wallet state.</summary>
    Malformed = 4,

    /// <summary>The coins in the file were not derived from the seed given to load it.</summary>
    SeedMismatch = 5,

    /// <summary>The file belongs to another account key or another scheme key than the ones given to load it.</summary>
    KeyMismatch = 6,
}
