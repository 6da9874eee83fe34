using System.Formats.Asn1;
using Org.BouncyCastle.Math;

namespace Wallet.Crypto.Rsa;

/// <summary>
/// DER and PEM encodings of RSA keys: PKCS#8 and PKCS#1 private keys (RFC 5208, RFC 8017 appendix A.1.2),
/// SubjectPublicKeyInfo with rsaEncryption (RFC 5280, RFC 3279) or with id-RSASSA-PSS restricted to SHA-384,
/// MGF1-SHA-384 and a 48-byte salt, the token key encoding of RFC 9578 section 6.5.
/// </summary>
internal static class RsaKeyEncoding
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string RsaPssOid = "1.2.840.113549.1.1.10";
    private const string Mgf1Oid = "1.2.840.113549.1.1.8";
    private const string Sha384Oid = "2.16.840.1.101.3.4.2.2";

    private static readonly byte[] s_pssParameters = EncodePssParameters(nullHashParameters: false);

    // RFC 4055 section 2.1: SHA-2 AlgorithmIdentifiers may carry absent or NULL parameters, and readers accept both.
    private static readonly byte[][] s_acceptedPssParameters = [s_pssParameters, EncodePssParameters(nullHashParameters: true)];

    /// <summary>Encodes SubjectPublicKeyInfo; with <paramref name="pss"/> the RFC 9578 id-RSASSA-PSS form.</summary>
    public static byte[] EncodeSubjectPublicKeyInfo(RsaKeyMaterial key, bool pss)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                if (pss)
                {
                    writer.WriteObjectIdentifier(RsaPssOid);
                    writer.WriteEncodedValue(s_pssParameters);
                }
                else
                {
                    writer.WriteObjectIdentifier(RsaEncryptionOid);
                    writer.WriteNull();
                }
            }

            writer.WriteBitString(EncodeRsaPublicKey(key));
        }

        return writer.Encode();
    }

    /// <summary>Decodes SubjectPublicKeyInfo in either form; returns false for anything else, trailing bytes included.</summary>
    public static bool TryDecodeSubjectPublicKeyInfo(ReadOnlySpan<byte> der, int minimumBits, out RsaKeyMaterial? key) =>
        TryDecodeSequence(der, spki => ReadSubjectPublicKeyInfo(spki, minimumBits), out key);

    /// <summary>Encodes an RSAPublicKey (RFC 8017 appendix A.1.1).</summary>
    public static byte[] EncodeRsaPublicKey(RsaKeyMaterial key)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(key.N.ToByteArrayUnsigned());
            writer.WriteIntegerUnsigned(key.E.ToByteArrayUnsigned());
        }

        return writer.Encode();
    }

    /// <summary>Decodes an RSAPublicKey; returns false for malformed input or an unusable key.</summary>
    public static bool TryDecodeRsaPublicKey(ReadOnlySpan<byte> der, int minimumBits, out RsaKeyMaterial? key) =>
        TryDecodeSequence(der, sequence => ReadRsaPublicKey(sequence, minimumBits), out key);

    /// <summary>Decodes a PKCS#8 (<paramref name="pkcs8"/>) or PKCS#1 private key; returns false for malformed input.</summary>
    public static bool TryDecodePrivateKey(ReadOnlySpan<byte> der, bool pkcs8, int minimumBits, out RsaKeyMaterial? key)
    {
        key = null;
        RSAParameters parameters = default;
        try
        {
            using var rsa = RSA.Create();
            int read;
            if (pkcs8)
            {
                rsa.ImportPkcs8PrivateKey(der, out read);
            }
            else
            {
                rsa.ImportRSAPrivateKey(der, out read);
            }

            if (read != der.Length)
            {
                return false;
            }

            parameters = rsa.ExportParameters(true);
            key = RsaKeyMaterial.FromParameters(parameters, minimumBits);
            if (!key.HasPrivate)
            {
                key.Dispose();
                key = null;
                return false;
            }

            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
        finally
        {
            RsaKeyMaterial.Wipe(parameters);
        }
    }

    /// <summary>Encodes a private key as PKCS#8 or PKCS#1 DER.</summary>
    public static byte[] EncodePrivateKey(RsaKeyMaterial key, bool pkcs8)
    {
        RSAParameters parameters = key.ToParameters(includePrivate: true);
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportParameters(parameters);
            return pkcs8 ? rsa.ExportPkcs8PrivateKey() : rsa.ExportRSAPrivateKey();
        }
        finally
        {
            RsaKeyMaterial.Wipe(parameters);
        }
    }

    /// <summary>Finds the single PEM block in <paramref name="pem"/> and decodes its base64; returns its label.</summary>
    public static bool TryReadPem(ReadOnlySpan<char> pem, out string label, out byte[] der)
    {
        label = string.Empty;
        der = [];
        if (!PemEncoding.TryFind(pem, out PemFields fields))
        {
            return false;
        }

        label = pem[fields.Label].ToString();
        der = new byte[fields.DecodedDataLength];

        // Exactly one block: nothing but whitespace may follow it. The decoded bytes may be a private key, so they are
        // wiped whenever they are not handed back.
        if (!Convert.TryFromBase64Chars(pem[fields.Base64Data], der, out int written) || written != der.Length ||
            !pem[fields.Location.End..].IsWhiteSpace())
        {
            CryptographicOperations.ZeroMemory(der);
            der = [];
            return false;
        }

        return true;
    }

    /// <summary>
    /// Reads <paramref name="der"/> as exactly one DER SEQUENCE, trailing bytes refused, and hands its contents to
    /// <paramref name="read"/>, which returns <see langword="null"/> for a key it refuses.
    /// </summary>
    /// <returns>Whether a key was read; malformed DER and unusable keys (the readers' <see cref="AsnContentException"/>
    /// and <see cref="CryptographicException"/>) give <see langword="false"/>.</returns>
    private static bool TryDecodeSequence(ReadOnlySpan<byte> der, Func<AsnReader, RsaKeyMaterial?> read, out RsaKeyMaterial? key)
    {
        try
        {
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            key = read(sequence);
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            key = null;
        }

        return key is not null;
    }

    // SubjectPublicKeyInfo (RFC 5280 section 4.1) whose algorithm is rsaEncryption with NULL parameters or
    // id-RSASSA-PSS with the RFC 9578 parameters, around an RSAPublicKey.
    private static RsaKeyMaterial? ReadSubjectPublicKeyInfo(AsnReader spki, int minimumBits)
    {
        var algorithm = spki.ReadSequence();
        string oid = algorithm.ReadObjectIdentifier();
        if (oid == RsaEncryptionOid)
        {
            algorithm.ReadNull();
        }
        else if (oid == RsaPssOid)
        {
            var parameters = algorithm.ReadEncodedValue();
            if (!s_acceptedPssParameters.Any(accepted => parameters.Span.SequenceEqual(accepted)))
            {
                return null;
            }
        }
        else
        {
            return null;
        }

        algorithm.ThrowIfNotEmpty();
        byte[] inner = spki.ReadBitString(out int unusedBits);
        spki.ThrowIfNotEmpty();
        return unusedBits == 0 && TryDecodeRsaPublicKey(inner, minimumBits, out var key) ? key : null;
    }

    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 appendix A.1.1).
    private static RsaKeyMaterial ReadRsaPublicKey(AsnReader sequence, int minimumBits)
    {
        var n = ReadPositive(sequence);
        var e = ReadPositive(sequence);
        sequence.ThrowIfNotEmpty();
        return RsaKeyMaterial.CreatePublic(n, e, minimumBits);
    }

    private static BigInteger ReadPositive(AsnReader reader)
    {
        var bytes = reader.ReadIntegerBytes().Span;
        if (bytes.IsEmpty || (bytes[0] & 0x80) != 0)
        {
            throw new CryptographicException("RSA integers are positive.");
        }

        return RsaIntegers.FromBytes(bytes);
    }

    private static byte[] EncodePssParameters(bool nullHashParameters)
    {
        // RSASSA-PSS-params (RFC 8017 appendix A.2.3) exactly as RFC 9578 section 6.5 gives it: SHA-384 with absent
        // parameters, MGF1 with SHA-384, saltLength 48, default trailer field.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                WriteSha384(writer, nullHashParameters);
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(Mgf1Oid);
                WriteSha384(writer, nullHashParameters);
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2)))
            {
                writer.WriteInteger(48);
            }
        }

        return writer.Encode();
    }

    private static void WriteSha384(AsnWriter writer, bool nullParameters)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Sha384Oid);
            if (nullParameters)
            {
                writer.WriteNull();
            }
        }
    }
}
