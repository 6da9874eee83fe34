using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Wallets;

namespace PortableBenefits.Demo.Pilot;

/// <summary>One worker: who employs them, what they contribute, what they like to spend on, and their phone's wallet.</summary>
internal sealed class PilotWorker
{
    public required AccountId Account { get; init; }

    public required Employer Employer { get; init; }

    public required WalletSeed Seed { get; init; }

    public required Ed25519SigningKey AccountKey { get; set; }

    public required WorkerWallet Wallet { get; set; }

    /// <summary>Pays in personally each month (a worker contribution).</summary>
    public bool SelfContributes { get; init; }

    /// <summary>Receives the state top-up for low earnings.</summary>
    public bool StateTopUp { get; init; }

    /// <summary>Never opens the app: the balance goes by default allocation at epoch end.</summary>
    public bool Inactive { get; init; }

    public string? Union { get; init; }

    public bool JoinsAssociation { get; init; }

    public double TrainingAppetite { get; init; }

    public double LegalNeed { get; init; }

    public long WithdrawnTotal { get; set; }

    /// <summary>The dues mandate the worker's union issued at enrolment and the wallet accepted (docs/PROTOCOL.md 5.19).</summary>
    public Wallet.Protocol.Mandates.DuesMandate? Mandate { get; set; }
}
