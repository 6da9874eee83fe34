namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// One variant of RSA blind signatures, named exactly as its specification names it, for example
/// <c>RSABSSA-SHA384-PSS-Randomized</c>. Algorithm objects are stateless and shared.
/// </summary>
/// <remarks>
/// RFC 9474 section 5 defines the four RSABSSA variants; draft-irtf-cfrg-partially-blind-rsa section 6 defines the
/// matching RSAPBSSA ones. All use SHA-384 with MGF1-SHA-384; PSS variants use a 48-byte salt and PSSZERO variants an
/// empty one; Randomized variants prepend 32 random bytes to the message (section 4.1).
/// </remarks>
public sealed class BlindRsaAlgorithm
{
    /// <summary>Length of the random prefix added by Randomized variants, in bytes (RFC 9474 section 4.1).</summary>
    public const int PrefixLength = 32;

    private BlindRsaAlgorithm(string name, BlindRsaScheme scheme, int saltLength, bool randomized)
    {
        (Name, Scheme, SaltLength, IsRandomized) = (name, scheme, saltLength, randomized);
    }

    /// <summary>RSABSSA-SHA384-PSS-Randomized (RFC 9474 section 5, the recommended default).</summary>
    public static BlindRsaAlgorithm RsaBssaSha384PssRandomized { get; } = new("RSABSSA-SHA384-PSS-Randomized", BlindRsaScheme.Rsabssa, 48, true);

    /// <summary>RSABSSA-SHA384-PSSZERO-Randomized (RFC 9474 section 5).</summary>
    public static BlindRsaAlgorithm RsaBssaSha384PssZeroRandomized { get; } = new("RSABSSA-SHA384-PSSZERO-Randomized", BlindRsaScheme.Rsabssa, 0, true);

    /// <summary>RSABSSA-SHA384-PSS-Deterministic (RFC 9474 section 5): for messages that already carry entropy, such as PB/1 coin public keys.</summary>
    public static BlindRsaAlgorithm RsaBssaSha384PssDeterministic { get; } = new("RSABSSA-SHA384-PSS-Deterministic", BlindRsaScheme.Rsabssa, 48, false);

    /// <summary>RSABSSA-SHA384-PSSZERO-Deterministic (RFC 9474 section 5).</summary>
    public static BlindRsaAlgorithm RsaBssaSha384PssZeroDeterministic { get; } = new("RSABSSA-SHA384-PSSZERO-Deterministic", BlindRsaScheme.Rsabssa, 0, false);

    /// <summary>RSAPBSSA-SHA384-PSS-Randomized (draft-irtf-cfrg-partially-blind-rsa).</summary>
    public static BlindRsaAlgorithm RsaPbssaSha384PssRandomized { get; } = new("RSAPBSSA-SHA384-PSS-Randomized", BlindRsaScheme.Rsapbssa, 48, true);

    /// <summary>RSAPBSSA-SHA384-PSSZERO-Randomized (draft-irtf-cfrg-partially-blind-rsa).</summary>
    public static BlindRsaAlgorithm RsaPbssaSha384PssZeroRandomized { get; } = new("RSAPBSSA-SHA384-PSSZERO-Randomized", BlindRsaScheme.Rsapbssa, 0, true);

    /// <summary>RSAPBSSA-SHA384-PSS-Deterministic (draft-irtf-cfrg-partially-blind-rsa).</summary>
    public static BlindRsaAlgorithm RsaPbssaSha384PssDeterministic { get; } = new("RSAPBSSA-SHA384-PSS-Deterministic", BlindRsaScheme.Rsapbssa, 48, false);

    /// <summary>RSAPBSSA-SHA384-PSSZERO-Deterministic (draft-irtf-cfrg-partially-blind-rsa).</summary>
    public static BlindRsaAlgorithm RsaPbssaSha384PssZeroDeterministic { get; } = new("RSAPBSSA-SHA384-PSSZERO-Deterministic", BlindRsaScheme.Rsapbssa, 0, false);

    /// <summary>Every variant, RSABSSA first.</summary>
    public static IReadOnlyList<BlindRsaAlgorithm> All { get; } =
    [
        RsaBssaSha384PssRandomized, RsaBssaSha384PssZeroRandomized, RsaBssaSha384PssDeterministic, RsaBssaSha384PssZeroDeterministic,
        RsaPbssaSha384PssRandomized, RsaPbssaSha384PssZeroRandomized, RsaPbssaSha384PssDeterministic, RsaPbssaSha384PssZeroDeterministic,
    ];

    /// <summary>The variant's name as its specification writes it.</summary>
    public string Name { get; }

    /// <summary>Whether this is an RSABSSA or an RSAPBSSA variant.</summary>
    public BlindRsaScheme Scheme { get; }

    /// <summary>The exact PSS salt length in bytes: 48 for PSS, 0 for PSSZERO. Verification never guesses it.</summary>
    public int SaltLength { get; }

    /// <summary>Whether <see cref="BlindRsaClient.Prepare(ReadOnlySpan{byte})"/> prepends a random 32-byte prefix.</summary>
    public bool IsRandomized { get; }

    /// <summary>Looks a variant up by its exact name.</summary>
    /// <param name="name">For example <c>RSABSSA-SHA384-PSS-Deterministic</c>.</param>
    /// <returns>The variant.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No variant has that name.</exception>
    public static BlindRsaAlgorithm FromName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var algorithm in All)
        {
            if (string.Equals(algorithm.Name, name, StringComparison.Ordinal))
            {
                return algorithm;
            }
        }

        throw new ArgumentException($"Unknown blind RSA variant '{name}'.", nameof(name));
    }

    /// <summary>Returns <see cref="Name"/>.</summary>
    /// <returns>The variant's name.</returns>
    public override string ToString() => Name;
}
