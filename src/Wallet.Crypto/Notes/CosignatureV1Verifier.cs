using System.Globalization;
using System.Text;

namespace Wallet.Crypto.Notes;

/// <summary>
/// Verifies a witness's timestamped Ed25519 cosignatures (signature type 0x04, <c>cosignature/v1</c>) over a checkpoint.
/// </summary>
/// <remarks>
/// C2SP tlog-cosignature, "Format" and "Ed25519 signed message": the signature line carries
/// <c>timestamp (uint64 big-endian, POSIX seconds, at most 2^63 − 1) ‖ Ed25519 signature (64)</c>, and the signed
/// message is <c>cosignature/v1\ntime &lt;timestamp&gt;\n</c> followed by the checkpoint's note text. The key ID is
/// computed with type byte 0x04, so a witness key never verifies as a log key. Cosignatures in the future are not
/// refused here; a witness policy that cares compares <see cref="TryGetTimestamp"/> with its clock.
/// </remarks>
public sealed class CosignatureV1Verifier : NoteVerifier
{
    /// <summary>The signature type byte of timestamped Ed25519 cosignatures.</summary>
    internal const byte Type = 0x04;

    /// <summary>Length of a cosignature after the key ID: the 8-byte timestamp and the 64-byte signature.</summary>
    internal const int SignatureLength = sizeof(ulong) + Ed25519PublicKey.SignatureLength;

    /// <summary>Creates the verifier for a witness's name and public key.</summary>
    /// <param name="name">The witness's key name: non-empty, without Unicode spaces, '+' or control characters.</param>
    /// <param name="publicKey">The witness's Ed25519 public key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="publicKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid key name.</exception>
    public CosignatureV1Verifier(string name, Ed25519PublicKey publicKey)
        : base(name, publicKey, Type)
    {
    }

    /// <summary>Reads the timestamp a cosignature claims, without verifying it.</summary>
    /// <param name="signature">A signature line, typically one that <see cref="NoteVerifierSet.Verify"/> reported as verified by this type.</param>
    /// <param name="unixSeconds">The POSIX timestamp, when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the line has the length of a cosignature and a timestamp of at most 2^63 − 1.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signature"/> is <see langword="null"/>.</exception>
    public static bool TryGetTimestamp(NoteSignature signature, out ulong unixSeconds)
    {
        ArgumentNullException.ThrowIfNull(signature);
        unixSeconds = 0;
        ReadOnlySpan<byte> bytes = signature.Signature.Span;
        if (bytes.Length != SignatureLength)
        {
            return false;
        }

        ulong timestamp = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        if (timestamp > long.MaxValue)
        {
            return false;
        }

        unixSeconds = timestamp;
        return true;
    }

    /// <summary>The message a cosignature signs: the header line, the time line, then the checkpoint text.</summary>
    internal static byte[] Message(ulong unixSeconds, ReadOnlySpan<byte> text)
    {
        byte[] header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"cosignature/v1\ntime {unixSeconds}\n"));
        var message = new byte[header.Length + text.Length];
        header.CopyTo(message, 0);
        text.CopyTo(message.AsSpan(header.Length));
        return message;
    }

    internal override bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != SignatureLength)
        {
            return false;
        }

        ulong timestamp = BinaryPrimitives.ReadUInt64BigEndian(signature);
        return timestamp <= long.MaxValue && PublicKey.VerifyUnframed(Message(timestamp, text), signature[sizeof(ulong)..]);
    }
}
