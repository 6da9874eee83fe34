using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Checkpoints;

/// <summary>A witness a <see cref="CheckpointCosigner"/> sends the scheme's checkpoints to: its verifier key and how to reach it.</summary>
public sealed class CheckpointWitness
{
    /// <summary>Creates the entry.</summary>
    /// <param name="verifier">The witness's <c>cosignature/v1</c> verifier key: only its lines that verify are kept.</param>
    /// <param name="client">How to reach the witness.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public CheckpointWitness(CosignatureV1Verifier verifier, IWitnessClient client)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        ArgumentNullException.ThrowIfNull(client);
        (Verifier, Client) = (verifier, client);
    }

    /// <summary>The witness's verifier key.</summary>
    public CosignatureV1Verifier Verifier { get; }

    /// <summary>How to reach the witness.</summary>
    public IWitnessClient Client { get; }

    /// <summary>The witness's key name, as in its cosignature lines.</summary>
    public string Name => Verifier.Name;

    /// <summary>Describes the witness by its verifier key.</summary>
    /// <returns>The verifier key.</returns>
    public override string ToString() => Verifier.VerifierKey;
}
