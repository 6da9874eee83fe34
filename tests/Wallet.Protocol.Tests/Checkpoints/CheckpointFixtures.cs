using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Checkpoints;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Tests.Checkpoints;

/// <summary>A scheme whose log grows cheaply, witnesses with their state on disk, and a policy over them.</summary>
internal static class CheckpointFixtures
{
    public const string Origin = "benefits.example.org/pb1";

    public static readonly Ed25519SigningKey SchemeKey = Ed25519SigningKey.FromSeed(Seed(0x60));
    public static readonly Ed25519SigningKey AccreditationKey = Ed25519SigningKey.FromSeed(Seed(0x70));
    public static readonly Ed25519SigningKey[] WitnessKeys = [.. Enumerable.Range(0, 3).Select(i => Ed25519SigningKey.FromSeed(Seed((byte)(0x80 + i))))];
    public static readonly Ed25519NoteVerifier LogVerifier = new Ed25519NoteSigner(Origin, SchemeKey).Verifier;

    public static byte[] Seed(byte first) => [.. Enumerable.Range(first, 32).Select(i => (byte)i)];

    public static CosignatureV1Signer WitnessSigner(int index) =>
        new($"witness{index}.example.org/w", WitnessKeys[index], new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero)));

    public static Witness NewWitness(IWitnessStore store, int index) => new([new WitnessedLog(Origin, LogVerifier)], WitnessSigner(index), store);

    public static CheckpointWitness InProcess(Witness witness) => new(witness.Verifier, new InProcessWitnessClient(witness));

    /// <summary>A policy over the witnesses <paramref name="indexes"/> with quorum <paramref name="quorum"/>.</summary>
    public static WitnessPolicy Policy(int quorum, params int[] indexes)
    {
        var options = new WitnessPolicyOptions { LogVerifierKey = LogVerifier.VerifierKey, Quorum = quorum };
        foreach (int i in indexes)
        {
            options.Witnesses.Add(new WitnessKeyOptions { Name = $"w{i}", VerifierKey = WitnessSigner(i).Verifier.VerifierKey });
        }

        return new WitnessPolicy(options);
    }

    /// <summary>
    /// A scheme over in-memory stores under <see cref="Origin"/> and the fixed scheme key. Its log grows by registry
    /// versions; two schemes with different <paramref name="history"/> share the key and the origin but not the log.
    /// </summary>
    internal sealed class SchemeLog(byte history = 0)
    {
        private readonly DateTimeOffset _issuedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(history);

        public BenefitScheme Scheme { get; } = new(SchemeKey, AccreditationKey.PublicKey, new SchemeLedger(new InMemoryLedgerStore(), TimeProvider.System), new InMemorySchemeStore(), new InMemoryMerkleLogStore(), TimeProvider.System)
        {
            CheckpointOrigin = Origin,
        };

        public async Task GrowToAsync(ulong size)
        {
            for (ulong current = (await Scheme.GetTreeHeadAsync()).TreeSize; current < size; current++)
            {
                var registry = AccreditationRegistry.Sign((uint)current + 1, _issuedAt.AddSeconds(current), [], AccreditationKey);
                Assert.True(await Scheme.PublishRegistryAsync(registry));
            }
        }
    }

    /// <summary>A logger that keeps what it is given, to check what the cosigner reports.</summary>
    internal sealed class ListLogger<T> : ILogger<T>
    {
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add((logLevel, formatter(state, exception)));
            }
        }
    }

    /// <summary>Passes every call on to a real witness client and keeps the answers, to see a 409 and its retry.</summary>
    internal sealed class RecordingWitnessClient(IWitnessClient inner) : IWitnessClient
    {
        private readonly List<(ulong OldSize, WitnessSubmission Answer)> _calls = [];

        public IReadOnlyList<(ulong OldSize, WitnessSubmission Answer)> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        public async Task<WitnessSubmission> AddCheckpointAsync(AddCheckpointRequest request, CancellationToken cancellationToken = default)
        {
            WitnessSubmission answer = await inner.AddCheckpointAsync(request, cancellationToken);
            lock (_calls)
            {
                _calls.Add((request.OldSize, answer));
            }

            return answer;
        }
    }
}
