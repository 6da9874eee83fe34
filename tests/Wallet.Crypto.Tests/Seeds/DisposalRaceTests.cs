using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;

namespace Wallet.Crypto.Tests.Seeds;

/// <summary>
/// Dispose racing a derivation on another thread: each call must either throw <see cref="ObjectDisposedException"/>
/// or return exactly what an undisturbed call returns, never a value computed from half-wiped memory.
/// </summary>
public sealed class DisposalRaceTests
{
    private const int Iterations = 2000;

    private static readonly byte[] SeedBytes = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static readonly byte[] KeysetId = Convert.FromHexString("202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");

    [Fact]
    public void DisposingASeedDuringDeriveCoinEitherRefusesOrDerivesTheRightCoin()
    {
        using var reference = WalletSeed.FromBytes(SeedBytes);
        using var expected = reference.DeriveCoin(KeysetId, 5);
        byte[][] expectedValues = Values(expected);

        var outcome = Race(
            () => WalletSeed.FromBytes(SeedBytes),
            seed =>
            {
                using var coin = seed.DeriveCoin(KeysetId, 5);
                byte[][] values = Values(coin);
                return values.Zip(expectedValues).All(pair => pair.First.AsSpan().SequenceEqual(pair.Second));
            },
            seed => seed.Dispose());

        Assert.Equal(0, outcome.Wrong);
        Assert.True(outcome.Correct > 0 && outcome.Refused > 0, $"The race was not exercised: {outcome}.");
    }

    [Fact]
    public void DisposingCoinSecretsDuringDeriveBlindingFactorEitherRefusesOrDerivesTheRightFactor()
    {
        byte[] n = CoinDerivationVectorTests.Modulus("n2048");
        byte[] expected = new byte[n.Length];
        using var seed = WalletSeed.FromBytes(SeedBytes);
        using (var coin = seed.DeriveCoin(KeysetId, 9))
        {
            coin.DeriveBlindingFactor(n, CoinDerivationVectorTests.Context, 0, expected);
        }

        var outcome = Race(
            () => seed.DeriveCoin(KeysetId, 9),
            coin =>
            {
                byte[] r = new byte[n.Length];
                coin.DeriveBlindingFactor(n, CoinDerivationVectorTests.Context, 0, r);
                return r.AsSpan().SequenceEqual(expected);
            },
            coin => coin.Dispose());

        Assert.Equal(0, outcome.Wrong);
        Assert.True(outcome.Correct > 0 && outcome.Refused > 0, $"The race was not exercised: {outcome}.");
    }

    [Fact]
    public void DisposingCoinSecretsWhileTheSigningKeyIsMadeEitherRefusesOrSignsWithTheRightKey()
    {
        var domain = new SignatureDomain("PB1/coin-spend", 1);
        using var seed = WalletSeed.FromBytes(SeedBytes);
        byte[] expected = seed.DeriveCoinId(KeysetId, 9);

        // The key is made on first use, so it races with disposal: it must come out right and signing, or be refused.
        var outcome = Race(
            () => seed.DeriveCoin(KeysetId, 9),
            coin =>
            {
                var key = coin.SigningKey;
                byte[] signature = key.Sign(domain, "spend"u8);
                return key.PublicKey.AsSpan().SequenceEqual(expected) && key.PublicKey.Verify(domain, "spend"u8, signature);
            },
            coin => coin.Dispose());

        Assert.Equal(0, outcome.Wrong);
        Assert.True(outcome.Correct > 0 && outcome.Refused > 0, $"The race was not exercised: {outcome}.");
    }

    [Fact]
    public void ASigningKeyMadeBeforeDisposalIsDisposedWithItsSecrets()
    {
        using var seed = WalletSeed.FromBytes(SeedBytes);
        var coin = seed.DeriveCoin(KeysetId, 2);
        var key = coin.SigningKey;

        coin.Dispose();

        Assert.Throws<ObjectDisposedException>(() => key.Sign(new SignatureDomain("PB1/coin-spend", 1), "spend"u8));
        Assert.Throws<ObjectDisposedException>(() => coin.SigningKey);
        Assert.Throws<ObjectDisposedException>(() => coin.PublicKey.ToArray());
    }

    [Fact]
    public void DisposeIsIdempotentAndLaterCallsThrow()
    {
        var seed = WalletSeed.FromBytes(SeedBytes);
        var coin = seed.DeriveCoin(KeysetId, 1);

        seed.Dispose();
        seed.Dispose();
        coin.Dispose();
        coin.Dispose();

        Assert.Throws<ObjectDisposedException>(() => seed.DeriveCoin(KeysetId, 1));
        Assert.Throws<ObjectDisposedException>(() => seed.ToBackupCode());
        Assert.Throws<ObjectDisposedException>(() => coin.DeriveBlindingFactor([0x0b], new byte[32], 0, new byte[1]));
    }

    private static byte[][] Values(CoinSecrets coin) =>
        [coin.SigningKey.PublicKey.Export(), coin.SigningKeySeed.ToArray(), coin.PssSalt.ToArray(), coin.MessagePrefix.ToArray(), coin.BlindingKey.ToArray()];

    /// <summary>
    /// Runs <paramref name="operation"/> on a second thread while this thread disposes. Both threads spin on a shared
    /// round number rather than sleeping, so they start within nanoseconds of each other; the disposer's delay varies
    /// with the iteration so that both orders and the overlap all occur.
    /// </summary>
    private static RaceOutcome Race<T>(Func<T> create, Func<T, bool> operation, Action<T> dispose)
    {
        int correct = 0;
        int wrong = 0;
        int refused = 0;
        T current = default!;
        int round = -1;
        using var end = new Barrier(2);
        var worker = new Thread(() =>
        {
            for (int i = 0; i < Iterations; i++)
            {
                var wait = default(SpinWait);
                while (Volatile.Read(ref round) != i)
                {
                    wait.SpinOnce(sleep1Threshold: -1); // yields on a busy machine instead of burning a core
                }

                try
                {
                    if (operation(current))
                    {
                        correct++;
                    }
                    else
                    {
                        wrong++;
                    }
                }
                catch (ObjectDisposedException)
                {
                    refused++;
                }

                end.SignalAndWait();
            }
        });
        worker.Start();
        for (int i = 0; i < Iterations; i++)
        {
            current = create();
            Volatile.Write(ref round, i);
            if (i % 4 == 0)
            {
                // Every fourth round gives the operation a head start, so that on a loaded machine (where the worker
                // wakes late) completed operations still occur alongside refused and overlapping ones.
                Thread.Sleep(2);
            }
            else
            {
                Thread.SpinWait((i * 397) % 20000);
            }

            dispose(current);
            end.SignalAndWait();
        }

        worker.Join();
        return new RaceOutcome(correct, wrong, refused);
    }

    private readonly record struct RaceOutcome(int Correct, int Wrong, int Refused);
}
