using FsCheck;
using FsCheck.Fluent;

namespace Wallet.Crypto.Tests.Merkle;

/// <summary>Hostile inputs for the Merkle decoders: random bytes, and valid encodings with bytes changed, cut or added.</summary>
internal static class MerkleEncodingGenerators
{
    public delegate bool TryDecoder<T>(ReadOnlySpan<byte> encoded, out T? value);

    public delegate T Decoder<T>(ReadOnlySpan<byte> encoded);

    public static Arbitrary<byte[]> Garbage(byte[] valid)
    {
        Gen<byte[]> random = Gen.Choose(0, 300).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n));
        Gen<byte[]> mutated =
            from position in Gen.Choose(0, valid.Length - 1)
            from value in Gen.Choose(0, 255)
            from cut in Gen.Choose(0, valid.Length + 2)
            from mode in Gen.Choose(0, 2)
            select Mutate(valid, position, (byte)value, cut, mode);
        return Gen.OneOf(random, mutated).ToArbitrary();
    }

    /// <summary>True when the decoders agree and fail, if at all, only with <see cref="Wallet.Crypto.Merkle.MerkleFormatException"/>.</summary>
    public static bool DecodesOrFailsTyped<T>(byte[] bytes, Decoder<T> decode, TryDecoder<T> tryDecode)
    {
        bool accepted = tryDecode(bytes, out _);
        try
        {
            decode(bytes);
            return accepted;
        }
        catch (Wallet.Crypto.Merkle.MerkleFormatException)
        {
            return !accepted;
        }
    }

    private static byte[] Mutate(byte[] valid, int position, byte value, int cut, int mode)
    {
        byte[] copy = (byte[])valid.Clone();
        switch (mode)
        {
            case 0:
                copy[position] = value;
                return copy;
            case 1:
                return copy.AsSpan(0, Math.Min(cut, copy.Length)).ToArray();
            default:
                return [.. copy, .. new byte[cut - copy.Length < 1 ? 1 : cut - copy.Length]];
        }
    }
}
