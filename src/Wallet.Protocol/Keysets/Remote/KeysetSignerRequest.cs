namespace Wallet.Protocol.Keysets.Remote;

/// <summary>A decoded request to a signing process; which fields are set depends on the operation.</summary>
internal sealed record KeysetSignerRequest(
    KeysetSignerOperation Operation,
    KeysetDescriptor? Descriptor,
    IReadOnlyList<BlindedMessage> Messages,
    BlindRsaScheme Mode,
    int ModulusBits);
