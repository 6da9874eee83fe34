using System.Text;
using Wallet.Crypto.Notes;
using static Wallet.Crypto.Tests.Notes.NoteTestKeys;

namespace Wallet.Crypto.Tests.Notes;

/// <summary>Every class of malformed note is refused with <see cref="NoteFormatException"/> and nothing else.</summary>
public sealed class SignedNoteParsingTests
{
    private const string Blob = "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";

    public static TheoryData<string, byte[]> Malformed()
    {
        var cases = new TheoryData<string, byte[]>();
        void Add(string name, string note) => cases.Add(name, Encoding.UTF8.GetBytes(note));

        Add("empty input", "");
        Add("missing blank line", PeterText + PeterSignatureLine + "\n");
        Add("no signature line", PeterText + "\n");
        Add("only a blank line", "\n\n");
        Add("missing final newline", PeterText + "\n" + PeterSignatureLine);
        Add("blank line after the signatures", PeterNote + "\n");
        Add("hyphen instead of em dash", PeterText + "\n- PeterNeumann " + Blob + "\n");
        Add("no space after the em dash", PeterText + "\n—PeterNeumann " + Blob + "\n");
        Add("no signature after the name", PeterText + "\n— PeterNeumann\n");
        Add("empty key name", PeterText + "\n—  " + Blob + "\n");
        Add("plus in the key name", PeterText + "\n— Peter+Neumann " + Blob + "\n");
        Add("no-break space in the key name", PeterText + "\n— Peter\u00a0Neumann " + Blob + "\n");
        Add("ideographic space in the key name", PeterText + "\n— Peter\u3000Neumann " + Blob + "\n");
        Add("two spaces before the signature", PeterText + "\n— PeterNeumann  " + Blob + "\n");
        Add("trailing space after the signature", PeterText + "\n— PeterNeumann " + Blob + " \n");
        Add("bad base64 character", PeterText + "\n— PeterNeumann " + Blob.Replace('/', '_') + "\n");
        Add("base64 without padding", PeterText + "\n— PeterNeumann " + Blob.TrimEnd('=') + "\n");
        Add("base64 with non-zero padding bits", PeterText + "\n— PeterNeumann " + Blob[..^2] + "N=\n");
        Add("base64 with padding inside", PeterText + "\n— PeterNeumann AAAA=AAA\n");
        Add("truncated base64", PeterText + "\n— PeterNeumann " + Blob[..50] + "\n");
        Add("key ID with no signature bytes", PeterText + "\n— PeterNeumann x08gow==\n");
        Add("shorter than a key ID", PeterText + "\n— PeterNeumann x08=\n");
        Add("tab in the text", "a\tb\n\n" + PeterSignatureLine + "\n");
        Add("carriage return line endings", PeterText.Replace("\n", "\r\n") + "\r\n" + PeterSignatureLine + "\r\n");
        Add("NUL in the text", "a\0b\n\n" + PeterSignatureLine + "\n");
        Add("escape in a signature line", PeterText + "\n— Peter\u001bNeumann " + Blob + "\n");
        Add("too many signatures", PeterText + "\n" + string.Concat(Enumerable.Repeat(PeterSignatureLine + "\n", SignedNote.MaxSignatures + 1)));
        Add("longer than the size limit", new string('a', SignedNote.MaxEncodedLength) + "\n\n" + PeterSignatureLine + "\n");

        byte[] text = Encoding.UTF8.GetBytes(PeterText);
        byte[] tail = Encoding.UTF8.GetBytes("\n" + PeterSignatureLine + "\n");
        cases.Add("invalid UTF-8 byte", [.. text[..5], 0xFF, .. text[5..], .. tail]);
        cases.Add("overlong UTF-8 encoding of '/'", [.. text[..5], 0xC0, 0xAF, .. text[5..], .. tail]);
        cases.Add("UTF-8-encoded surrogate", [.. text[..5], 0xED, 0xA0, 0x80, .. text[5..], .. tail]);
        cases.Add("truncated UTF-8 sequence at the end", [.. text, .. tail, 0xE2, 0x80]);
        cases.Add("em dash cut to its first two bytes", [.. text, (byte)'\n', 0xE2, 0x80, (byte)' ', .. Encoding.UTF8.GetBytes("PeterNeumann " + Blob + "\n")]);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedNoteIsRefusedWithTheTypedException(string name, byte[] encoded)
    {
        Assert.NotNull(name);
        Assert.Throws<NoteFormatException>(() => SignedNote.Parse(encoded));
    }

    /// <summary>The malformed cases that have a string form (invalid UTF-8 has none: decoding would write U+FFFD).</summary>
    public static TheoryData<string, string> MalformedStrings()
    {
        var cases = new TheoryData<string, string>();
        foreach (object[] row in Malformed())
        {
            var (name, encoded) = ((string)row[0], (byte[])row[1]);
            string text = Encoding.UTF8.GetString(encoded);
            if (Encoding.UTF8.GetBytes(text).AsSpan().SequenceEqual(encoded))
            {
                cases.Add(name, text);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(MalformedStrings))]
    public void MalformedNoteIsRefusedAsAStringToo(string name, string encoded)
    {
        Assert.NotNull(name);
        Assert.Throws<NoteFormatException>(() => SignedNote.Parse(encoded));
    }

    [Fact]
    public void StringWithALoneSurrogateIsRefused()
    {
        Assert.Throws<NoteFormatException>(() => SignedNote.Parse("a\ud800b\n\n" + PeterSignatureLine + "\n"));
    }

    [Fact]
    public void ValidVariantsOfTheTestedLinesParse()
    {
        // Guards the malformed cases above: each differs from one of these in the one way it names.
        Assert.Single(SignedNote.Parse(PeterNote).Signatures);
        Assert.Single(SignedNote.Parse("a b\n\n" + PeterSignatureLine + "\n").Signatures);
        Assert.Equal(100, SignedNote.Parse(PeterText + "\n" + string.Concat(Enumerable.Repeat(PeterSignatureLine + "\n", 100))).Signatures.Length);
        Assert.Equal(5, SignedNote.Parse(PeterText + "\n— PeterNeumann x08gowE=\n").Signatures[0].Signature.Length + 4);
        Assert.Equal("Peter\u00e9Neumann", SignedNote.Parse(PeterText + "\n— Peter\u00e9Neumann " + Blob + "\n").Signatures[0].Name);
    }
}
