namespace Wallet.Protocol.Keysets.Remote;

/// <summary>The operation byte of a request to a signing process (docs/PROTOCOL.md 8.2).</summary>
public enum KeysetSignerOperation
{
    /// <summary>Blind-sign a batch of blinded messages for a keyset: descriptor, then the messages.</summary>
    Sign = 1,

    /// <summary>The public key of the key held for a keyset: descriptor.</summary>
    PublicKey = 2,

    /// <summary>Generate a key, held unfiled until <see cref="File"/>: mode and modulus size.</summary>
    Generate = 3,

    /// <summary>File a generated key under the keyset that carries its public key, durably: descriptor.</summary>
    File = 4,
}
