using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using BcRsaEngine = Org.BouncyCastle.Crypto.Engines.RsaEngine;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Wallet.Benchmarks.BlindRsa;
using Wallet.Crypto.Rsa;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// Blind RSA throughput per operation, size and backend, with the references the targets compare against measured in
/// the same run: <c>openssl speed</c> sign/verify (2048, 3072) and BouncyCastle's plain RsaEngine.
/// </summary>
public sealed partial class BlindRsaQuickSuite : IQuickSuite
{
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(200);

    public string Name => "blind-rsa";

    public void Run(QuickReporter report)
    {
        report.Note($"OpenSSL backend available: {RsaBackends.IsOpenSslAvailable} {RsaBackends.OpenSslUnavailableReason}");
        var measured = new Dictionary<(string, int, RsaBackendKind), double>();
        foreach (int bits in new[] { 2048, 3072, 4096 })
        {
            foreach (var backend in new[] { RsaBackendKind.OpenSsl, RsaBackendKind.Managed })
            {
                using var f = new BlindRsaFixture(bits, backend);
                string name = backend == RsaBackendKind.OpenSsl ? "openssl" : "managed";
                Emit(report, measured, "blind", bits, backend, name, () => f.Client.Blind(f.Prepared).Dispose());
                Emit(report, measured, "blind-sign", bits, backend, name, () => f.Signer.BlindSign(f.State.BlindedMessage.AsSpan(), f.Destination));
                Emit(report, measured, "finalize", bits, backend, name, () => f.Client.Finalize(f.State, f.BlindSignature));
                Emit(report, measured, "verify", bits, backend, name, () => f.Verifier.Verify(f.Prepared, f.Signature));
            }

            double bc = MeasureBouncyCastle(bits);
            report.Line("rsa-private", bits, "bouncycastle-rsaengine", bc);
            double managed = MeasureManagedPrivate(bits);
            report.Line("rsa-private", bits, "managed", managed);
            report.Note(string.Create(CultureInfo.InvariantCulture, $"ratio managed/bouncycastle private {bits}: {managed / bc:F2} (target >= 1.0)"));
        }

        foreach (int bits in new[] { 2048, 3072 })
        {
            if (!TryOpenSslSpeed(bits, out double sign, out double verify))
            {
                report.Note($"openssl speed rsa{bits} unavailable");
                continue;
            }

            report.Line("openssl-speed-sign", bits, "openssl-cli", sign);
            report.Line("openssl-speed-verify", bits, "openssl-cli", verify);
            if (measured.TryGetValue(("blind-sign", bits, RsaBackendKind.OpenSsl), out double ours))
            {
                report.Note(string.Create(CultureInfo.InvariantCulture, $"ratio blind-sign/openssl-sign {bits}: {ours / sign:F2} (target >= 0.9)"));
            }

            if (measured.TryGetValue(("verify", bits, RsaBackendKind.OpenSsl), out double v))
            {
                report.Note(string.Create(CultureInfo.InvariantCulture, $"ratio verify/openssl-verify {bits}: {v / verify:F2} (target >= 0.7)"));
            }
        }
    }

    private static void Emit(QuickReporter report, Dictionary<(string, int, RsaBackendKind), double> measured, string operation, int bits, RsaBackendKind backend, string name, Action action)
    {
        double rate = QuickReporter.Measure(action, rounds: 3, roundTime: Round);
        measured[(operation, bits, backend)] = rate;
        report.Line(operation, bits, name, rate);
    }

    // The managed engine's raw private operation (with its blinding), the figure comparable to RsaEngine.
    private static double MeasureManagedPrivate(int bits)
    {
        using var f = new BlindRsaFixture(bits, RsaBackendKind.Managed);
        var engine = f.Key.Engine;
        byte[] input = f.State.BlindedMessage.ToArray();
        byte[] output = new byte[input.Length];
        return QuickReporter.Measure(() => engine.Private(input, output), rounds: 3, roundTime: Round);
    }

    private static double MeasureBouncyCastle(int bits)
    {
        using var f = new BlindRsaFixture(bits, RsaBackendKind.Managed);
        var parameters = System.Security.Cryptography.RSA.Create();
        parameters.ImportPkcs8PrivateKey(BlindRsaFixture.Pkcs8(bits), out _);
        var p = parameters.ExportParameters(true);
        var key = new RsaPrivateCrtKeyParameters(
            new BigInteger(1, p.Modulus), new BigInteger(1, p.Exponent), new BigInteger(1, p.D),
            new BigInteger(1, p.P), new BigInteger(1, p.Q), new BigInteger(1, p.DP), new BigInteger(1, p.DQ), new BigInteger(1, p.InverseQ));
        var engine = new BcRsaEngine();
        engine.Init(false, key);
        byte[] input = f.State.BlindedMessage.ToArray();
        return QuickReporter.Measure(() => engine.ProcessBlock(input, 0, input.Length), rounds: 3, roundTime: Round);
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
