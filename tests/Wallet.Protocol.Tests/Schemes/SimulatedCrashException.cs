namespace Wallet.Protocol.Tests.Schemes;

/// <summary>Stands for the process dying at an injected point.</summary>
public sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("simulated crash")
    {
    }
}
