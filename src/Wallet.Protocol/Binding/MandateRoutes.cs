namespace Wallet.Protocol.Binding;

/// <summary>
/// The dues mandate routes on a provider's HTTP surface (docs/PROTOCOL.md 5.19), under its prefix
/// (<see cref="SchemeRoutes.DefaultProviderPrefix"/>), and their media types. The mandate id, 32 random bytes only the
/// union and the member hold, names the mandate in every path.
/// </summary>
public static class MandateRoutes
{
    /// <summary>GET: the signed mandate (<see cref="MandateMediaType"/>).</summary>
    public const string Mandate = "/mandates/{mandate}";

    /// <summary>POST, empty body: the union's payment request for one period, with its details (<see cref="PaymentOfferMediaType"/>).</summary>
    public const string PeriodRequest = "/mandates/{mandate}/periods/{period}/request";

    /// <summary>GET: a paid-up statement signed now (<see cref="StatementMediaType"/>).</summary>
    public const string Statement = "/mandates/{mandate}/statement";

    /// <summary>A <see cref="DuesMandate"/> encoding.</summary>
    public const string MandateMediaType = PbMediaTypes.Prefix + "dues-mandate";

    /// <summary>A payment offer: <see cref="PaymentRequest.EncodeOffer"/>.</summary>
    public const string PaymentOfferMediaType = PbMediaTypes.Prefix + "mandate-payment-offer";

    /// <summary>A <see cref="PaidUpStatement"/> encoding.</summary>
    public const string StatementMediaType = PbMediaTypes.Prefix + "paid-up-statement";

    /// <summary>Gets the path of a mandate.</summary>
    /// <param name="mandate">The mandate's id.</param>
    /// <returns>The path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    public static string MandatePath(MandateId mandate) => $"/mandates/{mandate ?? throw new ArgumentNullException(nameof(mandate))}";

    /// <summary>Gets the path of a period's payment request.</summary>
    /// <param name="mandate">The mandate's id.</param>
    /// <param name="period">The period.</param>
    /// <returns>The path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    public static string PeriodRequestPath(MandateId mandate, uint period) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{MandatePath(mandate)}/periods/{period}/request");

    /// <summary>Gets the path of a mandate's paid-up statement.</summary>
    /// <param name="mandate">The mandate's id.</param>
    /// <returns>The path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    public static string StatementPath(MandateId mandate) => $"{MandatePath(mandate)}/statement";
}
