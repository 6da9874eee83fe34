using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Wallet.Crypto.Notes;
using static Wallet.Crypto.Tests.Notes.NoteTestKeys;

namespace Wallet.Crypto.Tests.Notes;

/// <summary>Hostile inputs (valid notes, keys and checkpoints with bytes changed, cut or added): parsers accept or throw <see cref="NoteFormatException"/>, nothing else.</summary>
public sealed class NoteParsingPropertyTests
{
    // The bytes that matter to the grammar, so mutations hit the interesting cases often.
    private static readonly byte[] Interesting = [(byte)'\n', (byte)' ', (byte)'+', (byte)'/', (byte)'=', (byte)'0', (byte)'A', 0x00, 0x09, 0x0D, 0x7F, 0x80, 0x94, 0xC0, 0xE2, 0xED, 0xFF];

    private static readonly byte[] ValidNote = Encoding.UTF8.GetBytes(
        SofaText + "\n" + SofaLogLine + "\n" + SofaWitnessLine + "\n" + PeterSignatureLine + "\n");

    [Property(MaxTest = 2000)]
    public Property SignedNoteParsesOrThrowsTheTypedException() =>
        Prop.ForAll(Garbage(ValidNote), bytes => ParsesOrFailsTyped(() => SignedNote.Parse(bytes)));

    [Property(MaxTest = 2000)]
    public Property SignedNoteStringParsesOrThrowsTheTypedException() =>
        Prop.ForAll(Garbage(ValidNote), bytes => ParsesOrFailsTyped(() => SignedNote.Parse(Encoding.UTF8.GetString(bytes))));

    [Property(MaxTest = 2000)]
    public Property VerifierKeyParsesOrThrowsTheTypedException() =>
        Prop.ForAll(Garbage(Encoding.UTF8.GetBytes(PeterVerifierKey)), bytes => ParsesOrFailsTyped(() => NoteVerifier.Parse(Encoding.UTF8.GetString(bytes))));

    [Property(MaxTest = 2000)]
    public Property CheckpointParsesOrThrowsTheTypedException() =>
        Prop.ForAll(Garbage(Encoding.UTF8.GetBytes(SofaText + "ext\n")), bytes => ParsesOrFailsTyped(() => Checkpoint.Parse(Encoding.UTF8.GetString(bytes))));

    [Property(MaxTest = 500)]
    public Property ParsedNoteFormatsBackToItsInput() =>
        Prop.ForAll(Garbage(ValidNote), bytes =>
        {
            try
            {
                return SignedNote.Parse(bytes).Encode().AsSpan().SequenceEqual(bytes);
            }
            catch (NoteFormatException)
            {
                return true;
            }
        });

    private static bool ParsesOrFailsTyped(Func<object> parse)
    {
        try
        {
            return parse() is not null;
        }
        catch (NoteFormatException)
        {
            return true;
        }
    }

    private static Arbitrary<byte[]> Garbage(byte[] valid)
    {
        Gen<byte> anyByte = Gen.OneOf(Gen.Choose(0, 255).Select(b => (byte)b), Gen.Elements(Interesting));
        Gen<byte[]> random = Gen.Choose(0, 200).SelectMany(n => Gen.ArrayOf(anyByte, n));
        Gen<byte[]> mutated =
            from position in Gen.Choose(0, valid.Length - 1)
            from value in anyByte
            from mode in Gen.Choose(0, 3)
            select Mutate(valid, position, value, mode);
        return Gen.Frequency((1, random), (6, mutated)).ToArbitrary();
    }

    private static byte[] Mutate(byte[] valid, int position, byte value, int mode) => mode switch
    {
        0 => [.. valid[..position], value, .. valid[(position + 1)..]],
        1 => valid[..position],
        2 => [.. valid[..position], value, .. valid[position..]],
        _ => [.. valid[..position], .. valid[(position + 1)..]],
    };
}
