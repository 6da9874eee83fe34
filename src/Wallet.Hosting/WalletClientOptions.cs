namespace Wallet.Hosting;

/// <summary>Options of <c>AddWalletClient</c>: the public keys a wallet app pins. Validated when the host starts.</summary>
public sealed class WalletClientOptions
{
    /// <summary>The scheme's public key, pinned in the app.</summary>
    public Ed25519PublicKey? SchemeKey { get; set; }

    /// <summary>The accreditation body's public key, pinned in the app.</summary>
    public Ed25519PublicKey? AccreditationKey { get; set; }
}
