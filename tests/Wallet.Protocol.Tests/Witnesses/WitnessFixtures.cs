using Microsoft.Extensions.Time.Testing;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Tests.Witnesses;

/// <summary>Fixed keys for a log and its witnesses, and a real Merkle log that signs checkpoints.</summary>
internal static class WitnessFixtures
{
    public const string Origin = "benefits.example.org/walletcore";

    public static readonly Ed25519SigningKey LogKey = Ed25519SigningKey.FromSeed(Seed(0x10));
    public static readonly Ed25519SigningKey ImpostorKey = Ed25519SigningKey.FromSeed(Seed(0x20));
    public static readonly Ed25519SigningKey[] WitnessKeys = [.. Enumerable.Range(0, 4).Select(i => Ed25519SigningKey.FromSeed(Seed((byte)(0x40 + i))))];
    public static readonly Ed25519NoteSigner LogSigner = new(Origin, LogKey);

    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    public static CosignatureV1Signer WitnessSigner(int index, TimeProvider? time = null) =>
        new($"witness{index}.example.org/w", WitnessKeys[index], time ?? Clock());

    public static Witness NewWitness(IWitnessStore store, int index = 0, TimeProvider? time = null) =>
        new([new WitnessedLog(Origin, LogSigner.Verifier)], WitnessSigner(index, time), store);

    /// <summary>Leaf bytes: the index, and a branch tag so two logs can share a prefix and then diverge.</summary>
    public static byte[] Leaf(int index, byte branch = 0) => [branch, (byte)index, (byte)(index >> 8)];

    public static byte[] Seed(byte first) => [.. Enumerable.Range(first, 32).Select(i => (byte)i)];

    /// <summary>A log that grows and signs checkpoints with the fixed log key.</summary>
    internal sealed class TestLog
    {
        private readonly MerkleLog _log = new(new InMemoryMerkleLogStore());
        private readonly byte _branch;
        private readonly int _sharedPrefix;

        /// <summary>A log whose leaves from <paramref name="sharedPrefix"/> on carry <paramref name="branch"/>: a fork of branch 0 after that many leaves.</summary>
        public TestLog(byte branch = 0, int sharedPrefix = 0) => (_branch, _sharedPrefix) = (branch, sharedPrefix);

        public async Task GrowToAsync(ulong size)
        {
            for (ulong i = await _log.GetSizeAsync(); i < size; i++)
            {
                await _log.AppendAsync(Leaf((int)i, (int)i < _sharedPrefix ? (byte)0 : _branch));
            }
        }

        public async Task<SignedNote> CheckpointAsync(ulong size, Ed25519NoteSigner? signer = null)
        {
            await GrowToAsync(size);
            var checkpoint = Checkpoint.Create(Origin, size, await _log.GetRootAsync(size));
            return checkpoint.Sign(signer ?? LogSigner);
        }

        public async Task<AddCheckpointRequest> RequestAsync(ulong oldSize, ulong newSize, Ed25519NoteSigner? signer = null)
        {
            SignedNote note = await CheckpointAsync(newSize, signer);
            ConsistencyProof proof = oldSize == 0 ? new ConsistencyProof(0, newSize, []) : await _log.GetConsistencyProofAsync(oldSize, newSize);
            return AddCheckpointRequest.Create(proof, note);
        }

        public ValueTask<ConsistencyProof> ProofAsync(ulong oldSize, ulong newSize) => _log.GetConsistencyProofAsync(oldSize, newSize);
    }
}
