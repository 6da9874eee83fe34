using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.EndToEnd;

/// <summary>The whole suite over HTTP with partially blind keysets.</summary>
public sealed class HttpPartiallyBlindEndToEndTests : EndToEndContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa) =>
        HttpEndToEndTests.CreateHttpWorldAsync(BlindRsaScheme.Rsapbssa);
}
