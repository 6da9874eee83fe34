using PortableBenefits.Demo.Pilot;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Operators;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// The month opens: the operator asks the scheme for three keysets (general fund 5.00 and 1.00, training fund 5.00);
/// the scheme generates a fresh RSA-2048 key for each, keeps it, and announces the keyset in the log. Few
/// denominations keep each keyset's anonymity set large.
/// </summary>
internal sealed class AnnounceKeysetsStep(uint epoch) : IPilotStep
{
    public static readonly TimeSpan Month = TimeSpan.FromDays(30);

    public string Title => $"Epoch {epoch}: the scheme generates RSA-2048 keys and announces the month's keysets";

    public static DateTimeOffset StartOf(uint epoch) => PilotWorld.PilotStart + (Month * (epoch - 1));

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var start = StartOf(epoch);
        await world.MoveClockAsync(start, cancellationToken);

        KeysetParameters Parameters(long denomination, string fund) =>
            new(epoch, Amount.FromMinorUnits(denomination), fund, start, start + Month, start + Month, start + Month + TimeSpan.FromDays(10), BlindRsaScheme.Rsabssa, 2048);

        (string Name, KeysetParameters Parameters)[] wanted =
        [
            ("general-500", Parameters(500, KeysetDescriptor.GeneralFund)),
            ("general-100", Parameters(100, KeysetDescriptor.GeneralFund)),
            ("training-500", Parameters(500, "training")),
        ];

        // RSA key generation is the slow part (about a second each): the three are asked for side by side.
        var stored = await Task.WhenAll(wanted.Select(w => Task.Run(
            () => world.Operator.AnnounceKeysetAsync(new IdempotencyKey($"keyset-{epoch}-{w.Name}"), w.Parameters, cancellationToken), cancellationToken)));
        for (int i = 0; i < stored.Length; i++)
        {
            var descriptor = stored[i].Announcement.Descriptor;
            world.Checks.Check("keysets", $"epoch {epoch} keyset {descriptor.Fund}/{Money.Format(descriptor.Denomination.MinorUnits)} announced in the log", stored[i].LogIndex > 0);
        }

        world.Epochs.Add(new EpochKeysets(epoch, start, stored[0].Announcement.Descriptor, stored[1].Announcement.Descriptor, stored[2].Announcement.Descriptor));
    }
}
