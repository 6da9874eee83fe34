namespace Wallet.Hosting;

/// <summary>Options of <c>AddWalletScheme</c>: the scheme's keys. Validated when the host starts; the stores are registered apart (see <c>AddWalletScheme</c>).</summary>
public sealed class WalletSchemeOptions
{
    /// <summary>The scheme's Ed25519 signing key (announcements, receipts, tree heads). Not owned: the caller loads and disposes it.</summary>
    public Ed25519SigningKey? SchemeKey { get; set; }

    /// <summary>The accreditation body's public key, which signs the provider registry.</summary>
    public Ed25519PublicKey? AccreditationKey { get; set; }

    /// <summary>
    /// The log's origin in the scheme's checkpoints (<see cref="BenefitScheme.CheckpointOrigin"/>), by convention its public
    /// URL prefix without the scheme, such as <c>benefits.example.org/pb1</c>. Null for <see cref="BenefitScheme.DefaultCheckpointOrigin"/>.
    /// </summary>
    public string? CheckpointOrigin { get; set; }

    /// <summary>
    /// How many cores one deposit or swap may verify its coins on, and one withdrawal, swap, recovery or refund claim
    /// may blind-sign its outputs on (<c>BenefitScheme.VerificationParallelism</c>): at least 1, by default
    /// <see cref="Environment.ProcessorCount"/>.
    /// </summary>
    public int VerificationParallelism { get; set; } = Environment.ProcessorCount;
}
