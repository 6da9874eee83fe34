namespace Wallet.Hosting;

/// <summary>Options of <c>AddWalletProvider</c>: the provider's accreditation record, its receipt key and the scheme key. Validated when the host starts.</summary>
public sealed class WalletProviderOptions
{
    /// <summary>The provider's record as published in the accreditation registry.</summary>
    public ProviderRecord? Record { get; set; }

    /// <summary>The provider's Ed25519 receipt key; its public half must be the record's. Not owned.</summary>
    public Ed25519SigningKey? ReceiptKey { get; set; }

    /// <summary>The scheme's public key, which signs deposit receipts.</summary>
    public Ed25519PublicKey? SchemeKey { get; set; }

    /// <summary>
    /// The witnesses whose cosignatures the provider requires on the scheme's checkpoints: the log's verifier key (the
    /// scheme key under the log's origin), the n witnesses' keys and the quorum k (docs/PROTOCOL.md 5.13). Null, the
    /// default, trusts the scheme's signature alone. When set it must be valid and its log key must be <see cref="SchemeKey"/>.
    /// </summary>
    public WitnessPolicyOptions? WitnessPolicy { get; set; }
}
