namespace Wallet.Protocol.Tests.Ledger;

/// <summary>One generated step: an operation selector and three parameters the step interprets.</summary>
public sealed record ModelStep(int Op, int A, int B, int C)
{
    public override string ToString() => $"new({Op},{A},{B},{C})";
}
