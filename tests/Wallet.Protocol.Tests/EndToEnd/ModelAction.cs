namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>One random protocol action: <paramref name="Op"/> picks the action, <paramref name="A"/> and <paramref name="B"/> its party and size.</summary>
public sealed record ModelAction(int Op, int A, int B);
