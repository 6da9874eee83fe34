using BenchmarkDotNet.Attributes;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;

namespace Wallet.Benchmarks.BlindRsa;

/// <summary>The four RFC 9474 operations per modulus size and backend.</summary>
[MemoryDiagnoser]
public class BlindRsaBenchmarks
{
    private BlindRsaFixture _fixture = null!;

    [Params(2048, 3072, 4096)]
    public int Bits { get; set; }

    [Params(RsaBackendKind.OpenSsl, RsaBackendKind.Managed)]
    public RsaBackendKind Backend { get; set; }

    [GlobalSetup]
    public void Setup() => _fixture = new BlindRsaFixture(Bits, Backend);

    [GlobalCleanup]
    public void Cleanup() => _fixture.Dispose();

    [Benchmark]
    public BlindingState Blind()
    {
        var state = _fixture.Client.Blind(_fixture.Prepared);
        state.Dispose();
        return state;
    }

    [Benchmark]
    public void BlindSign() => _fixture.Signer.BlindSign(_fixture.State.BlindedMessage.AsSpan(), _fixture.Destination);

    [Benchmark]
    public byte[] Finalize() => _fixture.Client.Finalize(_fixture.State, _fixture.BlindSignature);

    [Benchmark]
    public bool Verify() => _fixture.Verifier.Verify(_fixture.Prepared, _fixture.Signature);
}
