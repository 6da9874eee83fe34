using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Checkpoints;

/// <summary>
/// Collects witness cosignatures on the scheme's checkpoints: signs the current checkpoint, sends it to every configured
/// witness at once with the consistency proof from the size that witness last cosigned, and hands the note with the
/// cosignatures it got to the scheme, whose <see cref="BenefitScheme.GetCheckpointAsync"/> then serves it.
/// </summary>
/// <remarks>
/// docs/PROTOCOL.md 5.16; C2SP tlog-witness. The size each witness last cosigned is kept in memory, starting at 0: a
/// witness that holds a larger one answers "409" with it, and the cosigner retries once from there (after either side
/// restarts). Each witness has its own timeout and no witness waits for another: a cosignature is served as soon as it
/// arrives, and a slow or down witness only delays its own. A witness that cosigned or refused a checkpoint is not sent
/// the same checkpoint again; one that gave no answer is retried in the next round. Refusals (fork, failed proof) are
/// logged as warnings and reported in the <see cref="CosigningResult"/>; nothing a witness does throws.
/// </remarks>
public sealed class CheckpointCosigner
{
    /// <summary>How long the cosigner waits for one witness's answer unless told otherwise: 10 s.</summary>
    public static readonly TimeSpan DefaultWitnessTimeout = TimeSpan.FromSeconds(10);

    private readonly BenefitScheme _scheme;
    private readonly ulong[] _witnessSizes;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _round = new(1, 1);
    private readonly Lock _gate = new();
    private Collected? _current;
    private SignedNote? _latest;

    /// <summary>Creates the cosigner for a scheme and its witnesses.</summary>
    /// <param name="scheme">The scheme: it signs the checkpoints under its <see cref="BenefitScheme.CheckpointOrigin"/> and serves the cosigned ones. Not owned.</param>
    /// <param name="witnesses">The witnesses, each once; none is allowed (the scheme then serves freshly signed checkpoints).</param>
    /// <param name="logger">Where refusals and unreachable witnesses are reported; none by default.</param>
    /// <param name="witnessTimeout">How long to wait for one witness's answer; default <see cref="DefaultWitnessTimeout"/>.</param>
    /// <param name="timeProvider">The clock of the timeouts and of <see cref="RunAsync"/>; default the system's.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scheme"/> or <paramref name="witnesses"/> is (or holds) <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two witnesses have the same verifier key.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="witnessTimeout"/> is not positive.</exception>
    public CheckpointCosigner(BenefitScheme scheme, IEnumerable<CheckpointWitness> witnesses, ILogger<CheckpointCosigner>? logger = null, TimeSpan? witnessTimeout = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(witnesses);
        ImmutableArray<CheckpointWitness> list = [.. witnesses];
        var keys = new HashSet<NoteVerifier>();
        foreach (CheckpointWitness witness in list)
        {
            ArgumentNullException.ThrowIfNull(witness, nameof(witnesses));
            if (!keys.Add(witness.Verifier))
            {
                throw new ArgumentException($"The witness {witness.Name} is configured twice.", nameof(witnesses));
            }
        }

        TimeSpan timeout = witnessTimeout ?? DefaultWitnessTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(witnessTimeout));
        (_scheme, Witnesses, _timeout) = (scheme, list, timeout);
        _witnessSizes = new ulong[list.Length];
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The witnesses, in configuration order.</summary>
    public ImmutableArray<CheckpointWitness> Witnesses { get; }

    /// <summary>The newest checkpoint note that carries at least one cosignature; <see langword="null"/> before the first.</summary>
    public SignedNote? Latest => Volatile.Read(ref _latest);

    /// <summary>
    /// Runs one round: signs the log's current checkpoint and sends it to every witness that has not yet cosigned or
    /// refused it, all at once, each bounded by the witness timeout. Rounds do not overlap; a second caller waits.
    /// </summary>
    /// <param name="cancellationToken">Cancels the round; cosignatures already received stay collected.</param>
    /// <returns>The checkpoint, the note with every cosignature collected for it, and each witness's outcome.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>Only the scheme's own failures (its log store) are thrown; a witness's answer or silence never is.</remarks>
    public async Task<CosigningResult> CosignAsync(CancellationToken cancellationToken = default)
    {
        await _round.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SignedNote logNote = await _scheme.SignCheckpointAsync(_scheme.CheckpointOrigin, cancellationToken).ConfigureAwait(false);
            Collected current;
            lock (_gate)
            {
                // The same text is the same checkpoint: keep collecting on it across rounds.
                if (_current is null || !string.Equals(_current.LogNote.Text, logNote.Text, StringComparison.Ordinal))
                {
                    _current = new Collected(logNote, Witnesses.Length);
                }

                current = _current;
            }

            var rounds = new Task<WitnessOutcome>[Witnesses.Length];
            for (int i = 0; i < rounds.Length; i++)
            {
                rounds[i] = current.Final(i) is { } earlier
                    ? Task.FromResult(new WitnessOutcome(Witnesses[i].Name, earlier, sent: false))
                    : SubmitAsync(i, current, cancellationToken);
            }

            WitnessOutcome[] outcomes = await Task.WhenAll(rounds).ConfigureAwait(false);
            lock (_gate)
            {
                return new CosigningResult(current.Checkpoint, current.Note(), [.. outcomes]);
            }
        }
        finally
        {
            _round.Release();
        }
    }

    /// <summary>
    /// Runs a round every <paramref name="interval"/> until cancelled: a log that grew is sent to the witnesses within
    /// one interval, and a witness that gave no answer is asked again. A failed round is logged and the loop goes on.
    /// </summary>
    /// <param name="interval">The time between rounds; positive.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that completes, without an exception, once <paramref name="cancellationToken"/> is cancelled.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive.</exception>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        using var timer = new PeriodicTimer(interval, _time);
        try
        {
            do
            {
                try
                {
                    await CosignAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    CosignerLog.RoundFailed(_logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutdown.
        }
    }

    private async Task<WitnessOutcome> SubmitAsync(int index, Collected current, CancellationToken cancellationToken)
    {
        CheckpointWitness witness = Witnesses[index];
        ulong size = current.Checkpoint.TreeSize;
        WitnessSubmission submission;
        bool retried = false;
        while (true)
        {
            ulong old = _witnessSizes[index];
            if (old > size)
            {
                // The witness cosigned a larger tree of this origin than the log holds: no proof can reach it.
                submission = WitnessSubmission.OldSizeMismatch(old);
                break;
            }

            ConsistencyProof proof = old == 0 || old == size
                ? new ConsistencyProof(old, size, [])
                : await _scheme.GetConsistencyProofAsync(old, size, cancellationToken).ConfigureAwait(false);
            submission = await CallAsync(witness, AddCheckpointRequest.Create(proof, current.LogNote), cancellationToken).ConfigureAwait(false);
            if (submission.Status == WitnessSubmissionStatus.OldSizeMismatch && !retried && submission.WitnessTreeSize != old)
            {
                // C2SP tlog-witness: learn the witness's size from its 409 and send the proof from there.
                _witnessSizes[index] = submission.WitnessTreeSize;
                retried = true;
                continue;
            }

            break;
        }

        if (submission.IsCosigned)
        {
            if (Verified(witness, current.LogNote.Text, submission.Cosignatures) is { } line)
            {
                _witnessSizes[index] = size;
                Collect(current, index, line, size);
                submission = WitnessSubmission.Cosigned([line]);
            }
            else
            {
                submission = WitnessSubmission.UnexpectedResponse("No cosignature line of the witness's key verified.");
            }
        }

        lock (_gate)
        {
            current.Record(index, submission);
        }

        Report(witness.Name, size, submission);
        return new WitnessOutcome(witness.Name, submission, sent: true);
    }

    // One witness's call, bounded by the timeout even if the client ignores its token; anything it throws is "unreachable".
    private async Task<WitnessSubmission> CallAsync(CheckpointWitness witness, AddCheckpointRequest request, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await witness.Client.AddCheckpointAsync(request, linked.Token).WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is OperationCanceledException or TimeoutException)
        {
            return WitnessSubmission.Unreachable($"No answer within {_timeout.TotalSeconds:0.###} s.");
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A client that breaks its contract must not take the other witnesses' round with it.
            return WitnessSubmission.Unreachable($"The witness client failed: {e.GetType().Name}.");
        }
    }

    // The witness's one line under its configured key that verifies on the checkpoint; lines of other keys are dropped.
    private static NoteSignature? Verified(CheckpointWitness witness, string text, ImmutableArray<NoteSignature> lines)
    {
        var key = new NoteVerifierSet(witness.Verifier);
        foreach (NoteSignature line in lines)
        {
            if (line.Name == witness.Verifier.Name && line.KeyId == witness.Verifier.KeyId && key.Verify(SignedNote.Create(text, [line])).IsVerified)
            {
                return line;
            }
        }

        return null;
    }

    private void Collect(Collected current, int index, NoteSignature line, ulong size)
    {
        lock (_gate)
        {
            current.Add(index, line);
            if (!ReferenceEquals(current, _current))
            {
                return;
            }

            // Under the lock, so that two witnesses answering at once publish in order and the later note holds both lines.
            SignedNote note = current.Note();
            if (_scheme.OfferCosignedCheckpoint(note, size))
            {
                Volatile.Write(ref _latest, note);
            }
        }
    }

    private void Report(string witness, ulong size, WitnessSubmission submission)
    {
        switch (submission.Status)
        {
            case WitnessSubmissionStatus.Cosigned:
                CosignerLog.Cosigned(_logger, witness, size);
                break;
            case WitnessSubmissionStatus.Fork or WitnessSubmissionStatus.InconsistentProof:
                CosignerLog.Refused(_logger, witness, size, submission);
                break;
            case WitnessSubmissionStatus.Unreachable or WitnessSubmissionStatus.UnexpectedResponse:
                CosignerLog.Unavailable(_logger, witness, size, submission);
                break;
            default:
                CosignerLog.NotCosigning(_logger, witness, size, submission);
                break;
        }
    }

    /// <summary>What the cosigner holds for one checkpoint: the scheme's note, each witness's verified line and its final answer.</summary>
    private sealed class Collected(SignedNote logNote, int witnesses)
    {
        private readonly NoteSignature?[] _lines = new NoteSignature?[witnesses];
        private readonly WitnessSubmission?[] _final = new WitnessSubmission?[witnesses];

        public SignedNote LogNote { get; } = logNote;

        public Checkpoint Checkpoint { get; } = Checkpoint.Parse(logNote.Text);

        public void Add(int index, NoteSignature line) => _lines[index] = line;

        // An answer that will not change for this checkpoint: a cosignature or a refusal. No answer is retried.
        public void Record(int index, WitnessSubmission submission)
        {
            if (submission.Status is not (WitnessSubmissionStatus.Unreachable or WitnessSubmissionStatus.UnexpectedResponse))
            {
                _final[index] = submission;
            }
        }

        public WitnessSubmission? Final(int index) => _final[index];

        public SignedNote Note() => SignedNote.Create(LogNote.Text, LogNote.Signatures.Concat(_lines.OfType<NoteSignature>()));
    }
}
