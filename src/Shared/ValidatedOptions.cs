namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// The options step every WalletCore registration takes (this file is compiled into Wallet.Hosting and into each store
/// package): the options are added, set by the caller's delegate when one is given, and checked when the host starts.
/// </summary>
internal static class ValidatedOptions
{
    /// <summary>
    /// Adds <typeparamref name="TOptions"/>, set by <paramref name="configure"/> when given and checked by
    /// <paramref name="validator"/> when the host starts (one validator of its type, however often this is called).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static void Add<TOptions>(IServiceCollection services, Action<TOptions>? configure, IValidateOptions<TOptions> validator)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<TOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton(validator));
    }
}
