namespace Wallet.Protocol.Tests.Ledger;

/// <summary>A request to the reference model, in plain values; <see cref="Description"/> identifies the request for idempotency.</summary>
public abstract record ModelRequest(string Key)
{
    public abstract string Description { get; }
}
