using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Rsa;

namespace Wallet.Crypto.Tests.BlindRsa;

/// <summary>
/// RFC 9578 appendix A.2 (token type 0x0002): the keys load and re-encode exactly, the key id matches, and the whole
/// issuance (request, response, token) is reproduced byte for byte with the blind RSA primitives.
/// </summary>
public sealed class Rfc9578TokenTests
{
    public static TheoryData<int, RsaBackendKind> Cases()
    {
        var data = new TheoryData<int, RsaBackendKind>();
        for (int i = 0; i < VectorFile.Load("rfc9578-type2.json").Count; i++)
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
    public void TokenKeysLoadAndReencodeExactly(int index, RsaBackendKind backend)
    {
        var v = VectorFile.Load("rfc9578-type2.json")[index];
        string pem = System.Text.Encoding.ASCII.GetString(v.Bytes("skS"));
        using var key = BlindRsaPrivateKey.ImportFromPem(pem, backend: backend);
        byte[] pkS = v.Bytes("pkS");
        Assert.Equal(pkS, key.PublicKey.ExportRsaPssSubjectPublicKeyInfo());
        using var imported = BlindRsaPublicKey.ImportSubjectPublicKeyInfo(pkS, backend: backend);
        Assert.Equal(key.PublicKey, imported);
        Assert.Equal(SHA256.HashData(pkS), imported.ComputeTokenKeyId());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void IssuanceReproducesRequestResponseAndToken(int index, RsaBackendKind backend)
    {
        var v = VectorFile.Load("rfc9578-type2.json")[index];
        using var key = BlindRsaPrivateKey.ImportFromPem(System.Text.Encoding.ASCII.GetString(v.Bytes("skS")), backend: backend);
        byte[] tokenKeyId = key.PublicKey.ComputeTokenKeyId();
        byte[] tokenType = [0x00, 0x02];

        // token_input = token_type ‖ nonce ‖ SHA256(challenge) ‖ token_key_id (RFC 9578 section 6.1).
        byte[] tokenInput = [.. tokenType, .. v.Bytes("nonce"), .. SHA256.HashData(v.Bytes("token_challenge")), .. tokenKeyId];
        var algorithm = BlindRsaAlgorithm.RsaBssaSha384PssDeterministic;
        var client = new BlindRsaClient(algorithm, key.PublicKey);
        using var state = client.BlindCore(tokenInput, default, v.Bytes("salt"), v.Integer("blind"));

        // TokenRequest = token_type ‖ truncated_token_key_id ‖ blinded_msg.
        byte[] request = [.. tokenType, tokenKeyId[^1], .. state.BlindedMessage.AsSpan()];
        Assert.Equal(v.Bytes("token_request"), request);

        var response = new BlindRsaSigner(key).BlindSign(state.BlindedMessage);
        Assert.Equal(v.Bytes("token_response"), response.ToArray());

        byte[] authenticator = client.Finalize(state, response);
        byte[] token = [.. tokenInput, .. authenticator];
        Assert.Equal(v.Bytes("token"), token);
    }
}
