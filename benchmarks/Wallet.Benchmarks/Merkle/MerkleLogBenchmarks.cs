using BenchmarkDotNet.Attributes;
using Wallet.Crypto.Merkle;

namespace Wallet.Benchmarks.Merkle;

/// <summary>The RFC 9162 Merkle log on the in-memory store: appends, and proofs out of a million-entry log.</summary>
[MemoryDiagnoser]
public class MerkleLogBenchmarks
{
    private const int LargeSize = 1_000_000;

    private MerkleLog _large = null!;
    private MerkleLog _appendTarget = null!;
    private MerkleHash _root;
    private InclusionProof _proof = null!;
    private MerkleHash _leafHash;
    private ConsistencyProof _consistency = null!;
    private MerkleHash _oldRoot;
    private byte[] _entry = null!;
    private ReadOnlyMemory<byte>[] _batch = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _large = new MerkleLog(new InMemoryMerkleLogStore());
        for (int start = 0; start < LargeSize; start += 10_000)
        {
            var entries = new ReadOnlyMemory<byte>[10_000];
            for (int i = 0; i < entries.Length; i++)
            {
                entries[i] = BitConverter.GetBytes((long)(start + i));
            }

            await _large.AppendRangeAsync(entries);
        }

        _root = await _large.GetRootAsync(LargeSize);
        _proof = await _large.GetInclusionProofAsync(654_321, LargeSize);
        _leafHash = MerkleTree.HashLeaf(BitConverter.GetBytes(654_321L));
        _consistency = await _large.GetConsistencyProofAsync(777_777, LargeSize);
        _oldRoot = await _large.GetRootAsync(777_777);
        _appendTarget = new MerkleLog(new InMemoryMerkleLogStore());
        _entry = new byte[64];
        _batch = new ReadOnlyMemory<byte>[1000];
        for (int i = 0; i < _batch.Length; i++)
        {
            _batch[i] = BitConverter.GetBytes((long)i);
        }
    }

    [Benchmark]
    public ValueTask<ulong> Append() => _appendTarget.AppendAsync(_entry);

    [Benchmark(OperationsPerInvoke = 1000)]
    public ValueTask<ulong> AppendBatchOf1000() => _appendTarget.AppendRangeAsync(_batch);

    [Benchmark]
    public ValueTask<InclusionProof> InclusionProof() => _large.GetInclusionProofAsync(654_321, LargeSize);

    [Benchmark]
    public bool VerifyInclusion() => _proof.Verify(_leafHash, _root);

    [Benchmark]
    public ValueTask<ConsistencyProof> ConsistencyProof() => _large.GetConsistencyProofAsync(777_777, LargeSize);

    [Benchmark]
    public bool VerifyConsistency() => _consistency.Verify(_oldRoot, _root);

    [Benchmark]
    public ValueTask<MerkleHash> Root() => _large.GetRootAsync(LargeSize - 1);
}
