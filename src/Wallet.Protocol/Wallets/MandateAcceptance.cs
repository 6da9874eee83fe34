namespace Wallet.Protocol.Wallets;

/// <summary>The wallet's answer to a dues mandate (<see cref="WorkerWallet.AcceptMandate"/>).</summary>
public enum MandateAcceptance
{
    /// <summary>The mandate verified and is kept: the wallet pays its periods from now on.</summary>
    Accepted = 1,

    /// <summary>The same mandate was accepted before; nothing changed.</summary>
    AlreadyAccepted = 2,

    /// <summary>The registry's signature is not the accreditation body's.</summary>
    InvalidRegistry = 3,

    /// <summary>The union is not in the registry, not accredited now, or may not be paid from the mandate's fund.</summary>
    ProviderNotAccredited = 4,

    /// <summary>The mandate is not signed by the union's registered receipt key.</summary>
    BadSignature = 5,

    /// <summary>Another mandate under the same id is kept: the union reused an id.</summary>
    Conflict = 6,
}
