using Wallet.Crypto.BlindRsa;
using Wallet.Protocol;
using Wallet.Protocol.Payments;

namespace PortableBenefits.Linkage.Truth;

/// <summary>Reads one line of the ground-truth format into a <see cref="GroundTruth"/>, or says exactly what is wrong with it.</summary>
internal static class GroundTruthLine
{
    private const int IdHexLength = 64;

    public static void Read(string line, int number, GroundTruth truth)
    {
        string[] f = line.Split('\t');
        try
        {
            switch (f[0])
            {
                case "profile":
                    Fields(f, 5, number, "profile <account> <employer> <sector> <region>");
                    truth.Add(new WorkerProfile(Account(f[1], number), Token(f[2], "employer", number), Token(f[3], "sector", number), Token(f[4], "region", number)));
                    break;
                case "pay":
                    Fields(f, 6, number, "pay <step> <account> <provider> <payment-request-hash> <coin-ids>");
                    truth.Add(new TruePayment(Token(f[1], "step", number), Account(f[2], number), Account(f[3], number), PaymentId.Parse(Hex(f[4], "payment request hash", number)), Coins(f[5], number, allowEmpty: false)));
                    break;
                case "swap":
                    Fields(f, 4, number, "swap <account> <idempotency-key> <input-coin-ids>");
                    truth.Add(new TrueSwap(Account(f[1], number), Key(f[2], number), Coins(f[3], number, allowEmpty: false)));
                    break;
                case "restore-find":
                    Fields(f, 3, number, "restore-find <account> <blinded-messages>");
                    truth.Add(new TrueRestoreFind(Account(f[1], number), [.. List(f[2]).Select(m => BlindedMessage.FromBytes(Convert.FromHexString(Hex(m, "blinded message", number, length: null))))]));
                    break;
                case "restore-arespent":
                    Fields(f, 3, number, "restore-arespent <account> <coin-ids>");
                    truth.Add(new TrueRestoreSpentCheck(Account(f[1], number), Coins(f[2], number, allowEmpty: true)));
                    break;
                default:
                    throw new GroundTruthFormatException(number, $"unknown line kind '{Shorten(f[0])}' (expected profile, pay, swap, restore-find or restore-arespent)");
            }
        }
        catch (ArgumentException ex)
        {
            // A domain type refused a value that passed the format checks (an account id with a space, say).
            throw new GroundTruthFormatException(number, ex.Message);
        }
    }

    public static void RequireToken(string? value, string parameter)
    {
        if (string.IsNullOrEmpty(value) || value.AsSpan().IndexOfAny('\t', '\n', '\r') >= 0)
        {
            throw new ArgumentException("A ground-truth text field is one non-empty token without tabs or line breaks.", parameter);
        }
    }

    public static void RequireCoins<T>(IReadOnlyList<T>? coins, string parameter)
    {
        if (coins is not { Count: > 0 })
        {
            throw new ArgumentException("A payment or swap lists at least one coin.", parameter);
        }
    }

    private static void Fields(string[] fields, int count, int number, string form)
    {
        if (fields.Length != count)
        {
            throw new GroundTruthFormatException(number, $"{fields.Length} tab-separated fields where '{form}' has {count}");
        }
    }

    private static AccountId Account(string value, int number) => new(Token(value, "account", number));

    private static IdempotencyKey Key(string value, int number) => new(Token(value, "idempotency key", number));

    private static string Token(string value, string what, int number) =>
        value.Length > 0 ? value : throw new GroundTruthFormatException(number, $"empty {what}");

    private static IReadOnlyList<CoinId> Coins(string value, int number, bool allowEmpty)
    {
        var items = List(value);
        if (items.Length == 0 && !allowEmpty)
        {
            throw new GroundTruthFormatException(number, "no coin id");
        }

        return [.. items.Select(c => CoinId.Parse(Hex(c, "coin id", number)))];
    }

    private static string[] List(string value) => value.Length == 0 ? [] : value.Split(',');

    // Lower-case hexadecimal as CoinId.ToString and PaymentId.ToString write it; ids have exactly 64 digits.
    private static string Hex(string value, string what, int number, int? length = IdHexLength)
    {
        if (value.Length == 0 || value.Length % 2 != 0 || (length is { } n && value.Length != n) || !value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            string expected = length is { } l ? $"{l} lower-case hex digits" : "an even number of lower-case hex digits";
            throw new GroundTruthFormatException(number, $"{what} '{Shorten(value)}' is not {expected}");
        }

        return value;
    }

    private static string Shorten(string value) => value.Length <= 24 ? value : value[..24] + "...";
}
