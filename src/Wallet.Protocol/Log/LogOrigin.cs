namespace Wallet.Protocol.Log;

/// <summary>
/// The origin line of the scheme's checkpoints (docs/PROTOCOL.md 5.12 and 5.14): the log's identity, which is also the
/// key name of the scheme's signature on its checkpoints.
/// </summary>
/// <remarks>
/// C2SP tlog-checkpoint asks for a schema-less URL without spaces or <c>+</c>; C2SP tlog-tiles recommends one of the
/// log's URL prefixes with the scheme and trailing slashes removed. WalletCore accepts printable ASCII only (an
/// internationalised host is written in its punycode form), at most <see cref="MaxLength"/> characters, with no space,
/// no <c>+</c>, no <c>://</c> and no trailing slash.
/// </remarks>
public static class LogOrigin
{
    /// <summary>The longest origin accepted, in characters.</summary>
    public const int MaxLength = 255;

    /// <summary>Checks an origin against WalletCore's convention.</summary>
    /// <param name="origin">The candidate origin, for example <c>benefits.example.org/walletcore</c>.</param>
    /// <returns>Whether the origin is non-empty printable ASCII with no space, <c>+</c>, <c>://</c> or trailing slash.</returns>
    public static bool IsValid([NotNullWhen(true)] string? origin)
    {
        if (string.IsNullOrEmpty(origin) || origin.Length > MaxLength || origin[^1] == '/' || origin[0] == '/'
            || origin.Contains("://", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in origin)
        {
            if (c is <= ' ' or > '~' or '+')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Derives the origin from the URL prefix the log is served under: the URL without its scheme or trailing slashes.</summary>
    /// <param name="prefix">An absolute <c>http</c> or <c>https</c> URL, for example <c>https://benefits.example.org/pb1/</c>.</param>
    /// <returns>The origin, for example <c>benefits.example.org/pb1</c>; a non-default port is kept (<c>localhost:5080/pb1</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="prefix"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="prefix"/> is not an absolute http(s) URL, carries a query, fragment or user info, or gives no valid origin.
    /// </exception>
    public static string FromPrefix(Uri prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (!prefix.IsAbsoluteUri || (prefix.Scheme != Uri.UriSchemeHttp && prefix.Scheme != Uri.UriSchemeHttps)
            || prefix.Query.Length > 0 || prefix.Fragment.Length > 0 || prefix.UserInfo.Length > 0)
        {
            throw new ArgumentException("The log's prefix is an absolute http or https URL with no query, fragment or user info.", nameof(prefix));
        }

        string origin = prefix.Authority + prefix.AbsolutePath.TrimEnd('/');
        return IsValid(origin) ? origin : throw new ArgumentException("The prefix gives no valid origin.", nameof(prefix));
    }
}
