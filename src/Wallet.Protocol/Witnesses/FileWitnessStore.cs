using System.Text;
using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Witnesses;

/// <summary>
/// An <see cref="IWitnessStore"/> in a directory: per origin, the latest cosigned checkpoint note in one file and the
/// evidence in another, each replaced atomically (written to a temporary file, flushed to disk, then renamed over).
/// </summary>
/// <remarks>
/// One store instance owns the directory: it holds an exclusive lock on <c>witness.lock</c> until disposed, so a second
/// process (or instance) opening the same directory fails rather than racing the compare-and-set. File names are the
/// hex SHA-256 of the origin, so any origin maps to a safe name.
/// </remarks>
public sealed class FileWitnessStore : IWitnessStore, IDisposable
{
    private readonly string _directory;
    private readonly FileStream _lock;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Opens (creating if needed) a store in a directory and takes its lock.</summary>
    /// <param name="directory">The directory; created if missing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty.</exception>
    /// <exception cref="IOException">Another store holds the directory's lock, or the directory cannot be used.</exception>
    public FileWitnessStore(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
        _lock = new FileStream(Path.Combine(_directory, "witness.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The stored file is not a signed note.</exception>
    public async ValueTask<SignedNote?> GetLatestAsync(string origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReadLatestAsync(origin, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The stored file is not a signed note.</exception>
    public async ValueTask<bool> TryReplaceLatestAsync(string origin, SignedNote? expected, SignedNote latest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentNullException.ThrowIfNull(latest);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SignedNote? current = await ReadLatestAsync(origin, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(current?.Text, expected?.Text, StringComparison.Ordinal))
            {
                return false;
            }

            await WriteAtomicallyAsync(PathFor(origin, ".checkpoint"), latest.Encode(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The stored evidence file is damaged.</exception>
    public async ValueTask AddEvidenceAsync(SplitViewEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ImmutableArray<SplitViewEvidence> kept = await ReadEvidenceAsync(evidence.Origin, cancellationToken).ConfigureAwait(false);
            if (kept.Contains(evidence))
            {
                return;
            }

            var text = new StringBuilder();
            foreach (SplitViewEvidence item in kept.Add(evidence))
            {
                text.Append(Convert.ToBase64String(item.Encode())).Append('\n');
            }

            await WriteAtomicallyAsync(PathFor(evidence.Origin, ".evidence"), Encoding.ASCII.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <exception cref="InvalidDataException">The stored evidence file is damaged.</exception>
    public async ValueTask<ImmutableArray<SplitViewEvidence>> GetEvidenceAsync(string origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReadEvidenceAsync(origin, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Releases the directory's lock.</summary>
    public void Dispose()
    {
        _lock.Dispose();
        _gate.Dispose();
    }

    private string PathFor(string origin, string extension) =>
        Path.Combine(_directory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(origin))) + extension);

    private async ValueTask<SignedNote?> ReadLatestAsync(string origin, CancellationToken cancellationToken)
    {
        string path = PathFor(origin, ".checkpoint");
        if (!File.Exists(path))
        {
            return null;
        }

        byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return SignedNote.Parse(bytes);
        }
        catch (NoteFormatException e)
        {
            throw new InvalidDataException($"The witness state file {path} is not a signed note.", e);
        }
    }

    private async ValueTask<ImmutableArray<SplitViewEvidence>> ReadEvidenceAsync(string origin, CancellationToken cancellationToken)
    {
        string path = PathFor(origin, ".evidence");
        if (!File.Exists(path))
        {
            return [];
        }

        string[] lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return [.. lines.Select(line => SplitViewEvidence.Parse(Convert.FromBase64String(line)))];
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"The witness evidence file {path} is damaged.", e);
        }
    }

    private static async ValueTask WriteAtomicallyAsync(string path, byte[] contents, CancellationToken cancellationToken)
    {
        // Writes are serialised by the gate and the directory lock, so one temporary name suffices.
        string temporary = path + ".tmp";
        var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(contents, cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
