using Wallet.Crypto.BlindRsa;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>Pre-generated RSA keys (linked from the crypto tests); key generation would dominate the run time.</summary>
public static class ProtocolKeys
{
    private static readonly Lazy<BlindRsaPrivateKey> s_rsa2048 = new(() => Load("rsa2048.pem"));
    private static readonly Lazy<BlindRsaPrivateKey> s_rsa3072 = new(() => Load("rsa3072.pem"));

    public static BlindRsaPrivateKey Rsa2048 => s_rsa2048.Value;

    public static BlindRsaPrivateKey Rsa3072 => s_rsa3072.Value;

    private static BlindRsaPrivateKey Load(string file) =>
        BlindRsaPrivateKey.ImportFromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Keys", file)));
}
