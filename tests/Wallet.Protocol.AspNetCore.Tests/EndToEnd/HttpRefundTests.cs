using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.EndToEnd;

/// <summary>The whole refund suite with the wallet's refund claims going over real HTTP.</summary>
public sealed class HttpRefundTests : RefundContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync() => HttpEndToEndTests.CreateHttpWorldAsync(BlindRsaScheme.Rsabssa);
}
