using PortableBenefits.Demo.Pilot;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Keysets;
using Wallet.Protocol;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// The month opens: the scheme generates fresh RSA-2048 keys and announces three keysets in the log (general fund
/// 5.00 and 1.00, training fund 5.00). Few denominations keep each keyset's anonymity set large.
/// </summary>
internal sealed class AnnounceKeysetsStep(uint epoch) : IPilotStep
{
    public static readonly TimeSpan Month = TimeSpan.FromDays(30);

    public string Title => $"Epoch {epoch}: generate RSA-2048 keys and announce the month's keysets";

    public static DateTimeOffset StartOf(uint epoch) => PilotWorld.PilotStart + (Month * (epoch - 1));

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var start = StartOf(epoch);
        world.Clock.MoveTo(start);

        // RSA key generation is the slow part (about a second each): one key per keyset, generated side by side.
        var keys = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => BlindRsaPrivateKey.Generate(2048), cancellationToken)));
        foreach (var key in keys)
        {
            world.Own(key);
        }

        KeysetDescriptor Describe(long denomination, string fund, BlindRsaPrivateKey key) =>
            new(epoch, Amount.FromMinorUnits(denomination), fund, start, start + Month, start + Month, start + Month + TimeSpan.FromDays(10), KeysetMode.RsaBlind, key.PublicKey.ExportSubjectPublicKeyInfo());

        var keysets = new EpochKeysets(epoch, start, Describe(500, KeysetDescriptor.GeneralFund, keys[0]), Describe(100, KeysetDescriptor.GeneralFund, keys[1]), Describe(500, "training", keys[2]), keys);
        for (int i = 0; i < keysets.All.Count; i++)
        {
            var stored = await world.Scheme.AnnounceKeysetAsync(keysets.All[i], keys[i], cancellationToken);
            world.Checks.Check("keysets", $"epoch {epoch} keyset {keysets.All[i].Fund}/{Money.Format(keysets.All[i].Denomination.MinorUnits)} announced in the log", stored.LogIndex > 0);
        }

        world.Epochs.Add(keysets);
    }
}
