using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.EndToEnd;

/// <summary>The whole swap, rollover and recovery suite with the wallet's swap and recovery calls going over real HTTP.</summary>
public sealed class HttpSwapTests : SwapContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync() => HttpEndToEndTests.CreateHttpWorldAsync(BlindRsaScheme.Rsabssa);
}
