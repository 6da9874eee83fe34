using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.EndToEnd;

/// <summary>The whole statement suite with the wallet's statement and receipt requests going over real HTTP.</summary>
public sealed class HttpStatementTests : StatementContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync() => HttpEndToEndTests.CreateHttpWorldAsync(BlindRsaScheme.Rsabssa);
}
