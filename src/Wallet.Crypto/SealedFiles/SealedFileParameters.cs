namespace Wallet.Crypto.SealedFiles;

/// <summary>
/// Argon2id cost parameters (RFC 9106) for sealing a wallet file. The degree of parallelism is always 1, the only
/// value NSec's libsodium-backed Argon2id supports.
/// </summary>
/// <remarks>
/// The bounds apply both when sealing and when reading a header from disk. A reader also applies a maximum of its
/// own (<see cref="DefaultMaximum"/> unless it passes another), so a hostile file cannot make it spend more than
/// that before the passphrase is even checked.
/// </remarks>
public sealed class SealedFileParameters : IEquatable<SealedFileParameters>
{
    /// <summary>The smallest accepted memory size, in KiB (Argon2's own minimum for one lane).</summary>
    public const int MinMemoryKiB = 8;

    /// <summary>The largest accepted memory size, in KiB (1 GiB).</summary>
    public const int MaxMemoryKiB = 1024 * 1024;

    /// <summary>The smallest accepted number of passes.</summary>
    public const int MinIterations = 1;

    /// <summary>The largest accepted number of passes.</summary>
    public const int MaxIterations = 16;

    /// <summary>Creates parameters.</summary>
    /// <param name="memoryKiB">Memory per derivation, in KiB.</param>
    /// <param name="iterations">Number of passes over the memory.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is outside the bounds above.</exception>
    public SealedFileParameters(int memoryKiB, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryKiB, MinMemoryKiB);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(memoryKiB, MaxMemoryKiB);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        MemoryKiB = memoryKiB;
        Iterations = iterations;
    }

    /// <summary>
    /// The defaults: 64 MiB and 3 passes, the second recommended option of RFC 9106 section 4 with one lane (about
    /// 0.2 s on a current laptop core). Only weaken these in tests.
    /// </summary>
    public static SealedFileParameters Default { get; } = new(64 * 1024, 3);

    /// <summary>
    /// The most a reader accepts from a file's header unless told otherwise: 256 MiB and 8 passes, four times the
    /// memory of <see cref="Default"/>, so a hostile file cannot make an ordinary reader allocate a gigabyte.
    /// </summary>
    public static SealedFileParameters DefaultMaximum { get; } = new(256 * 1024, 8);

    /// <summary>Memory per derivation, in KiB.</summary>
    public int MemoryKiB { get; }

    /// <summary>Number of passes over the memory.</summary>
    public int Iterations { get; }

    /// <inheritdoc />
    public bool Equals(SealedFileParameters? other) => other is not null && other.MemoryKiB == MemoryKiB && other.Iterations == Iterations;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SealedFileParameters);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(MemoryKiB, Iterations);

    /// <summary>Returns <c>Argon2id(m=…KiB, t=…, p=1)</c>.</summary>
    /// <returns>The parameters in readable form.</returns>
    public override string ToString() => $"Argon2id(m={MemoryKiB}KiB, t={Iterations}, p=1)";
}
