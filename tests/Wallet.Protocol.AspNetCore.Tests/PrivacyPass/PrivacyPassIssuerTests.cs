using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.AspNetCore.PrivacyPass;
using Wallet.Protocol.Binding;

namespace Wallet.Protocol.AspNetCore.Tests.PrivacyPass;

/// <summary>
/// RFC 9578 token type 0x0002 over real HTTP: the issuer directory publishes the RSASSA-PSS SPKI, the issuance endpoint
/// reproduces the appendix A.2 responses byte for byte, and tokens verify with a plain RSASSA-PSS verifier.
/// </summary>
public sealed class PrivacyPassIssuerTests
{
    public static TheoryData<int> Vectors() => [.. Enumerable.Range(0, Load().Count)];

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task IssuanceEndpointReproducesTheRfc9578Vectors(int index)
    {
        var v = Load()[index];
        using var key = BlindRsaPrivateKey.ImportFromPem(System.Text.Encoding.ASCII.GetString(Hex(v, "skS")));
        using var server = await Serve(key);

        var response = await PostTokenRequest(server, Hex(v, "token_request"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(PrivacyPassMediaTypes.TokenResponse, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Hex(v, "token_response"), await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public async Task DirectoryPublishesTheVectorTokenKeyAndTheVectorTokenVerifiesUnderIt(int index)
    {
        var v = Load()[index];
        using var key = BlindRsaPrivateKey.ImportFromPem(System.Text.Encoding.ASCII.GetString(Hex(v, "skS")));
        using var server = await Serve(key);

        byte[] tokenKey = await DirectoryTokenKey(server);

        Assert.Equal(Hex(v, "pkS"), tokenKey);
        byte[] token = Hex(v, "token");
        Assert.True(VerifyToken(tokenKey, token));
        token[^1] ^= 1;
        Assert.False(VerifyToken(tokenKey, token));
    }

    [Fact]
    public async Task ConformingClientFlowWithAFreshNonceYieldsAVerifiableToken()
    {
        using var key = BlindRsaPrivateKey.ImportFromPem(System.Text.Encoding.ASCII.GetString(Hex(Load()[0], "skS")));
        using var server = await Serve(key);
        byte[] tokenKey = await DirectoryTokenKey(server);
        using var publicKey = BlindRsaPublicKey.ImportSubjectPublicKeyInfo(tokenKey);
        byte[] keyId = SHA256.HashData(tokenKey);

        // token_input = token_type ‖ nonce ‖ SHA-256(challenge) ‖ token_key_id (RFC 9578 section 6.1 / 5.1).
        byte[] challenge = [0x00, 0x02, 0x00, 0x0e, .. "issuer.example"u8, 0x00, 0x00, 0x0e, .. "origin.example"u8];
        byte[] tokenInput = [0x00, 0x02, .. RandomNumberGenerator.GetBytes(32), .. SHA256.HashData(challenge), .. keyId];
        var client = new BlindRsaClient(BlindRsaAlgorithm.RsaBssaSha384PssDeterministic, publicKey);
        using var state = client.Blind(client.Prepare(tokenInput));
        byte[] request = [0x00, 0x02, keyId[^1], .. state.BlindedMessage.AsSpan()];

        var response = await PostTokenRequest(server, request);
        byte[] authenticator = client.Finalize(state, BlindSignature.FromBytes(await response.Content.ReadAsByteArrayAsync()));

        Assert.True(VerifyToken(tokenKey, [.. tokenInput, .. authenticator]));
    }

    [Fact]
    public async Task InvalidTokenRequestsAre422AndWrongMediaTypeIs415()
    {
        var v = Load()[0];
        using var key = BlindRsaPrivateKey.ImportFromPem(System.Text.Encoding.ASCII.GetString(Hex(v, "skS")));
        using var server = await Serve(key);
        byte[] valid = Hex(v, "token_request");

        byte[] wrongType = [.. valid];
        wrongType[1] = 0x01;
        byte[] wrongKey = [.. valid];
        wrongKey[2] ^= 0xff;
        byte[] aboveModulus = [.. valid[..3], .. Enumerable.Repeat((byte)0xff, PrivacyPassIssuer.Nk)];
        foreach (byte[] bad in new[] { wrongType, wrongKey, valid[..^1], [.. valid, 0], aboveModulus, [] })
        {
            await Endpoints.HostileClientTests.AssertProblem(await PostTokenRequest(server, bad), HttpStatusCode.UnprocessableEntity, ProblemTypes.InvalidTokenRequest);
        }

        await Endpoints.HostileClientTests.AssertProblem(await PostTokenRequest(server, valid, "application/octet-stream"), HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType);
        await Endpoints.HostileClientTests.AssertProblem(await PostTokenRequest(server, new byte[10_000]), HttpStatusCode.RequestEntityTooLarge, ProblemTypes.BodyTooLarge);
    }

    [Fact]
    public void IssuerRefusesKeysThatAreNotType2Keys()
    {
        Assert.Throws<ArgumentException>(() => new PrivacyPassIssuer(Protocol.Tests.EndToEnd.ProtocolKeys.Rsa3072));
        Assert.Throws<ArgumentException>(() => new PrivacyPassIssuer(Protocol.Tests.EndToEnd.ProtocolKeys.PartiallyBlind2048));
        Assert.Throws<ArgumentNullException>(() => new PrivacyPassIssuer(null!));
    }

    private static bool VerifyToken(byte[] tokenKey, byte[] token)
    {
        // A verifier that knows nothing of blind signatures: RSASSA-PSS, SHA-384, salt 48 (RFC 9578 section 6.4).
        using var imported = BlindRsaPublicKey.ImportSubjectPublicKeyInfo(tokenKey);
        using var rsa = RSA.Create(new RSAParameters { Modulus = imported.ExportModulus(), Exponent = imported.ExportExponent() });
        int inputLength = 2 + 32 + 32 + 32;
        return token.Length == inputLength + PrivacyPassIssuer.Nk
            && rsa.VerifyData(token.AsSpan(0, inputLength), token.AsSpan(inputLength), HashAlgorithmName.SHA384, RSASignaturePadding.Pss);
    }

    private static async Task<byte[]> DirectoryTokenKey(LoopbackScheme server)
    {
        var response = await server.Http.GetAsync(".well-known/private-token-issuer-directory");
        Assert.Equal(PrivacyPassMediaTypes.IssuerDirectory, response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(response.Headers.CacheControl?.MaxAge);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("/token-request", json.RootElement.GetProperty("issuer-request-uri").GetString());
        var entry = Assert.Single(json.RootElement.GetProperty("token-keys").EnumerateArray());
        Assert.Equal(2, entry.GetProperty("token-type").GetInt32());
        string b64 = entry.GetProperty("token-key").GetString()!;
        Assert.DoesNotContain('+', b64);
        Assert.DoesNotContain('/', b64);
        string padded = b64.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    internal static async Task<HttpResponseMessage> PostTokenRequest(LoopbackScheme server, byte[] body, string mediaType = PrivacyPassMediaTypes.TokenRequest)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return await server.Http.PostAsync("token-request", content);
    }

    private static Task<LoopbackScheme> Serve(BlindRsaPrivateKey key) =>
        LoopbackScheme.StartAsync(null, map: app => app.MapPrivacyPassIssuer(new PrivacyPassIssuer(key)));

    internal static byte[] Hex(IReadOnlyDictionary<string, string> vector, string field) => Convert.FromHexString(vector[field]);

    internal static List<IReadOnlyDictionary<string, string>> Load()
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Vectors", "rfc9578-type2.json"));
        using var document = JsonDocument.Parse(stream);
        return [.. document.RootElement.EnumerateArray().Select(e => (IReadOnlyDictionary<string, string>)e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!))];
    }
}
