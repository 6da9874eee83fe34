namespace Wallet.Protocol.Wallets;

/// <summary>Where a payment the wallet prepared stands. A payment whose spend receipt was accepted is no longer recorded: the receipt stands for it.</summary>
public enum WalletPaymentState
{
    /// <summary>Prepared and handed out; neither confirmed by a spend receipt nor abandoned. Its coins are spent for the wallet.</summary>
    InFlight = 1,

    /// <summary>A swap of exactly its coins into fresh coins is pending (<see cref="WalletPayment.AbandonKey"/>): send it, then <see cref="WorkerWallet.CompleteAbandonPayment"/>.</summary>
    Abandoning = 2,

    /// <summary>The swap took the coins back: their value is in fresh coins of the wallet and the provider can no longer deposit them.</summary>
    Abandoned = 3,

    /// <summary>The swap was refused because the provider had already deposited the coins; <see cref="WalletPayment.Evidence"/> proves it.</summary>
    Deposited = 4,
}
