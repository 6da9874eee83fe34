using Wallet.Protocol.Keysets;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.EndToEnd;

/// <summary>The whole suite over HTTP with partially blind keysets.</summary>
public sealed class HttpPartiallyBlindEndToEndTests : EndToEndContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync(KeysetMode mode = KeysetMode.RsaBlind) =>
        HttpEndToEndTests.CreateHttpWorldAsync(KeysetMode.RsaPartiallyBlind);
}
