using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Keysets;

public sealed class InMemoryKeysetKeyStoreTests
{
    private static readonly KeysetId First = new(Enumerable.Repeat((byte)1, KeysetId.Length).ToArray());

    [Fact]
    public async Task AnExportableKeyIsCopiedSoItsOwnerMayDisposeIt()
    {
        using var store = new InMemoryKeysetKeyStore();
        var key = BlindRsaPrivateKey.ImportFromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Keys", "rsa2048.pem")), exportable: true);
        byte[] publicKey = key.PublicKey.ExportSubjectPublicKeyInfo();
        await store.PutAsync(First, key, CancellationToken.None);
        key.Dispose();

        var loaded = (await store.TryLoadAsync(First, CancellationToken.None))!;
        Assert.Equal(publicKey, loaded.PublicKey.ExportSubjectPublicKeyInfo());
        _ = loaded.Backend; // usable: not the disposed original
        Assert.Throws<InvalidOperationException>(() => loaded.ExportPkcs8());
    }

    [Fact]
    public async Task ANonExportableKeyIsKeptByReferenceAndTheFirstKeyWins()
    {
        using var store = new InMemoryKeysetKeyStore();
        await store.PutAsync(First, ProtocolKeys.Rsa2048, CancellationToken.None);
        await store.PutAsync(First, ProtocolKeys.Rsa3072, CancellationToken.None);

        Assert.Same(ProtocolKeys.Rsa2048, await store.TryLoadAsync(First, CancellationToken.None));
    }
}
