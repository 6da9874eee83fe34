namespace Wallet.Hosting;

/// <summary>Options of <c>AddWalletClient</c>: the public keys a wallet app pins. Validated when the host starts.</summary>
public sealed class WalletClientOptions
{
    /// <summary>The scheme's public key, pinned in the app.</summary>
    public Ed25519PublicKey? SchemeKey { get; set; }

    /// <summary>The accreditation body's public key, pinned in the app.</summary>
    public Ed25519PublicKey? AccreditationKey { get; set; }

    /// <summary>
    /// The witnesses whose cosignatures the app's wallets require on the scheme's checkpoints: the log's verifier key
    /// (the scheme key under the log's origin), the n witnesses' keys and the quorum k (docs/PROTOCOL.md 5.13). Null,
    /// the default, trusts the scheme's signed tree heads alone. When set it must be valid and its log key must be
    /// <see cref="SchemeKey"/>; wallets then move trust only through <see cref="WorkerWallet.ObserveCheckpoint"/>.
    /// </summary>
    public WitnessPolicyOptions? WitnessPolicy { get; set; }
}
