using System.Security.Cryptography;
using System.Text;
using Rfc8032 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace Wallet.Crypto.Tests.Notes;

/// <summary>
/// A minimal, independent reading of C2SP signed-note and tlog-checkpoint, written from the spec text for the tests: it
/// shares no code with <c>Wallet.Crypto.Notes</c> and verifies Ed25519 with BouncyCastle rather than NSec.
/// </summary>
internal static class SpecNoteVerifier
{
    /// <summary>Whether <paramref name="note"/> carries a valid Ed25519 signature by the key <paramref name="verifierKey"/>.</summary>
    public static bool Verifies(byte[] note, string verifierKey)
    {
        // vkey: name '+' 8 hex digits '+' base64(0x01 || 32-byte key).
        int first = verifierKey.IndexOf('+');
        int second = verifierKey.IndexOf('+', first + 1);
        string name = verifierKey[..first];
        uint keyId = Convert.ToUInt32(verifierKey[(first + 1)..second], 16);
        byte[] material = Convert.FromBase64String(verifierKey[(second + 1)..]);
        if (material.Length != 33 || material[0] != 0x01)
        {
            return false;
        }

        byte[] publicKey = material[1..];
        byte[] idInput = [.. Encoding.UTF8.GetBytes(name), 0x0A, 0x01, .. publicKey];
        byte[] idHash = SHA256.HashData(idInput);
        if ((uint)(idHash[0] << 24 | idHash[1] << 16 | idHash[2] << 8 | idHash[3]) != keyId)
        {
            return false;
        }

        // The note: UTF-8, no control character but newline, text up to the last blank line, then signature lines.
        string message = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(note);
        if (message.Any(c => c < 0x20 && c != '\n') || !message.EndsWith('\n'))
        {
            return false;
        }

        int split = message.LastIndexOf("\n\n", StringComparison.Ordinal);
        byte[] text = Encoding.UTF8.GetBytes(message[..(split + 1)]);
        foreach (string line in message[(split + 2)..^1].Split('\n'))
        {
            string prefix = "\u2014 " + name + " ";
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            byte[] blob = Convert.FromBase64String(line[prefix.Length..]);
            uint lineId = (uint)(blob[0] << 24 | blob[1] << 16 | blob[2] << 8 | blob[3]);
            if (lineId == keyId && blob.Length == 4 + 64 && Rfc8032.Verify(blob, 4, publicKey, 0, text, 0, text.Length))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The three mandatory lines of a checkpoint text.</summary>
    public static (string Origin, ulong TreeSize, byte[] RootHash) ReadCheckpoint(string text)
    {
        string[] lines = text.Split('\n');
        return (lines[0], ulong.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture), Convert.FromBase64String(lines[2]));
    }

    /// <summary>The note text of a signed note: everything up to and including the newline before the last blank line.</summary>
    public static string TextOf(byte[] note)
    {
        string message = Encoding.UTF8.GetString(note);
        return message[..(message.LastIndexOf("\n\n", StringComparison.Ordinal) + 1)];
    }
}
