using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;

namespace Wallet.Crypto.Tests.BlindRsa;

/// <summary>draft-irtf-cfrg-partially-blind-rsa test vectors reproduced byte for byte on both backends.</summary>
public sealed class PartiallyBlindVectorTests
{
    public static TheoryData<int, RsaBackendKind> Cases()
    {
        var data = new TheoryData<int, RsaBackendKind>();
        for (int i = 0; i < VectorFile.Load("partially-blind-rsa-draft.json").Count; i++)
        {
            foreach (var backend in TestKeys.Backends)
            {
                data.Add(i, backend);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void VectorReproducesDerivedKeyAndEveryValue(int index, RsaBackendKind backend)
    {
        var v = VectorFile.Load("partially-blind-rsa-draft.json")[index];
        var algorithm = BlindRsaAlgorithm.RsaPbssaSha384PssDeterministic;
        using var key = BlindRsaPrivateKey.FromMaterial(
            RsaKeyMaterial.CreatePrivate(v.Integer("p"), v.Integer("q"), v.Integer("e"), v.Integer("d")),
            BlindRsaScheme.Rsapbssa,
            backend);
        Assert.Equal(v.Bytes("n"), key.PublicKey.ExportModulus());
        byte[] info = v.Bytes("info");
        byte[] message = v.Bytes("msg");

        using (var derived = key.PublicKey.DerivePublicKey(info))
        {
            Assert.Equal(v.Bytes("eprime"), derived.ExportExponent());
        }

        var client = new BlindRsaClient(algorithm, key.PublicKey);
        using var state = client.BlindCore(client.PrepareCore(message, default), info, v.Bytes("salt"), v.Integer("r"));
        Assert.Equal(v.Bytes("blind_msg"), state.BlindedMessage.ToArray());

        var blindSignature = new BlindRsaSigner(key).BlindSign(state.BlindedMessage, info);
        Assert.Equal(v.Bytes("blind_sig"), blindSignature.ToArray());

        byte[] signature = client.Finalize(state, blindSignature);
        Assert.Equal(v.Bytes("sig"), signature);
        var verifier = new BlindRsaVerifier(algorithm, key.PublicKey);
        Assert.True(verifier.Verify(message, signature, info));
        Assert.False(verifier.Verify(message, signature, [.. info, 0x00]));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FinalizeFromTheVectorInverseReproducesTheSignature(int index, RsaBackendKind backend)
    {
        // Public API only. This file gives the blind r rather than inv, so inv = r^-1 mod n is computed here; the
        // deterministic variant prepares a message as itself, so msg is the prepared message.
        var v = VectorFile.Load("partially-blind-rsa-draft.json")[index];
        var algorithm = BlindRsaAlgorithm.RsaPbssaSha384PssDeterministic;
        using var publicKey = v.PublicKey(BlindRsaScheme.Rsapbssa, backend);
        int k = publicKey.ModulusLength;
        byte[] inverse = v.Integer("r").ModInverse(v.Integer("n")).ToByteArrayUnsigned();
        inverse = [.. new byte[k - inverse.Length], .. inverse];
        byte[] info = v.Bytes("info");
        using var state = BlindingState.FromInverse(algorithm, publicKey, v.Bytes("msg"), BlindedMessage.FromBytes(v.Bytes("blind_msg", k)), inverse, info);

        byte[] signature = new BlindRsaClient(algorithm, publicKey).Finalize(state, BlindSignature.FromBytes(v.Bytes("blind_sig", k)));

        Assert.Equal(v.Bytes("sig", k), signature);
        Assert.True(new BlindRsaVerifier(algorithm, publicKey).Verify(v.Bytes("msg"), signature, info));
    }

    [Fact]
    public void VectorKeyHasSafePrimesAndImportsAsPartiallyBlind()
    {
        var v = VectorFile.Load("partially-blind-rsa-draft.json")[0];
        using var material = RsaKeyMaterial.CreatePrivate(v.Integer("p"), v.Integer("q"), v.Integer("e"), v.Integer("d"));
        Assert.True(PartiallyBlindDerivation.HasSafePrimes(material));
    }
}
