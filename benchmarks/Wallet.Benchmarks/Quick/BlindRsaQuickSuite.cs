using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BcRsaEngine = Org.BouncyCastle.Crypto.Engines.RsaEngine;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Wallet.Benchmarks.BlindRsa;
using Wallet.Benchmarks.Reference;
using Wallet.Crypto.Rsa;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// Blind RSA throughput per operation, size and backend, with the references the targets compare against measured in
/// the same run, in alternating rounds: OpenSSL's own PKCS#1 sign/verify on the same key (what <c>openssl speed</c>
/// times) and BouncyCastle's plain RsaEngine; the <c>openssl speed</c> command's figures are printed too.
/// </summary>
public sealed partial class BlindRsaQuickSuite : IQuickSuite
{
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(60);

    public string Name => "blind-rsa";

    public void Run(QuickReporter report)
    {
        report.Note($"OpenSSL backend available: {RsaBackends.IsOpenSslAvailable} {RsaBackends.OpenSslUnavailableReason}");
        foreach (int bits in new[] { 2048, 3072, 4096 })
        {
            foreach (var backend in new[] { RsaBackendKind.OpenSsl, RsaBackendKind.Managed })
            {
                using var f = new BlindRsaFixture(bits, backend);
                string name = backend == RsaBackendKind.OpenSsl ? "openssl" : "managed";
                Emit(report, "blind", bits, name, () => f.Client.Blind(f.Prepared).Dispose());
                Emit(report, "blind-sign", bits, name, () => f.Signer.BlindSign(f.State.BlindedMessage.AsSpan(), f.Destination));
                Emit(report, "finalize", bits, name, () => f.Client.Finalize(f.State, f.BlindSignature));
                Emit(report, "verify", bits, name, () => f.Verifier.Verify(f.Prepared, f.Signature));
            }

            // The targets, each as a ratio of rates measured in alternating rounds in this run.
            if (bits <= 3072 && OperatingSystem.IsLinux())
            {
                using var f = new BlindRsaFixture(bits, RsaBackendKind.OpenSsl);
                using var reference = new OpenSslReference(BlindRsaFixture.Pkcs8(bits));
                var sign = QuickReporter.MeasurePaired(() => f.Signer.BlindSign(f.State.BlindedMessage.AsSpan(), f.Destination), reference.Sign, rounds: 5, roundTime: TimeSpan.FromMilliseconds(100));
                report.Line("openssl-sign-reference", bits, "openssl-inprocess", sign.Reference);
                report.Note(string.Create(CultureInfo.InvariantCulture, $"ratio blind-sign(openssl)/openssl-sign {bits}: {sign.Ratio:F2} (target >= 0.9)"));
                var verify = QuickReporter.MeasurePaired(() => f.Verifier.Verify(f.Prepared, f.Signature), reference.Verify, rounds: 5, roundTime: TimeSpan.FromMilliseconds(80));
                report.Line("openssl-verify-reference", bits, "openssl-inprocess", verify.Reference);
                report.Note(string.Create(CultureInfo.InvariantCulture, $"ratio verify(openssl)/openssl-verify {bits}: {verify.Ratio:F2} (target >= 0.7)"));
            }

            using (var managed = new BlindRsaFixture(bits, RsaBackendKind.Managed))
            {
                var engine = managed.Key.Engine;
                byte[] input = managed.State.BlindedMessage.ToArray();
                byte[] output = new byte[input.Length];
                var bouncyCastle = BouncyCastleEngine(bits);
                var paired = QuickReporter.MeasurePaired(
                    () => engine.Private(input, output),
                    () => bouncyCastle.ProcessBlock(input, 0, input.Length),
                    rounds: 5,
                    roundTime: TimeSpan.FromMilliseconds(bits == 4096 ? 200 : 100));
                report.Line("rsa-private", bits, "managed", paired.Ours);
                report.Line("rsa-private", bits, "bouncycastle-rsaengine", paired.Reference);
                report.Note(string.Create(CultureInfo.InvariantCulture, $"ratio managed/bouncycastle private {bits}: {paired.Ratio:F2} (target >= 1.0)"));
            }
        }

        // The command-line figures the targets name, for the record (measured seconds apart, so noisier as a ratio).
        foreach (int bits in new[] { 2048, 3072 })
        {
            if (TryOpenSslSpeed(bits, out double sign, out double verify))
            {
                report.Line("openssl-speed-sign", bits, "openssl-cli", sign);
                report.Line("openssl-speed-verify", bits, "openssl-cli", verify);
            }
            else
            {
                report.Note($"openssl speed rsa{bits} unavailable");
            }
        }
    }

    private static void Emit(QuickReporter report, string operation, int bits, string name, Action action) =>
        report.Line(operation, bits, name, QuickReporter.Measure(action, rounds: 3, roundTime: Round));

    private static BcRsaEngine BouncyCastleEngine(int bits)
    {
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportPkcs8PrivateKey(BlindRsaFixture.Pkcs8(bits), out _);
        var p = rsa.ExportParameters(true);
        var key = new RsaPrivateCrtKeyParameters(
            new BigInteger(1, p.Modulus), new BigInteger(1, p.Exponent), new BigInteger(1, p.D),
            new BigInteger(1, p.P), new BigInteger(1, p.Q), new BigInteger(1, p.DP), new BigInteger(1, p.DQ), new BigInteger(1, p.InverseQ));
        var engine = new BcRsaEngine();
        engine.Init(false, key);
        return engine;
    }

    private static bool TryOpenSslSpeed(int bits, out double sign, out double verify)
    {
        sign = verify = 0;
        try
        {
            var info = new ProcessStartInfo("openssl", $"speed -seconds 1 -mr rsa{bits}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(info)!;
            string output = process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            process.WaitForExit();

            // Machine-readable form (OpenSSL 3): "+F2:<index>:<bits>:<signs per second>:<verifies per second>".
            var match = SpeedLine().Match(output);
            if (!match.Success)
            {
                return false;
            }

            sign = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            verify = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\+F2:\d+:\d+:([0-9.eE+-]+):([0-9.eE+-]+)", RegexOptions.Multiline)]
    private static partial Regex SpeedLine();
}
