namespace Wallet.Protocol.Http.Client;

/// <summary>
/// What the clients and their DI registration need from the options of a remote role: the options' own check, the
/// message start-up validation reports when it fails, and the transport settings the resilience pipeline is built from.
/// </summary>
internal interface IRemoteRoleOptions
{
    /// <summary>The message the options validation at start-up reports for invalid options.</summary>
    static abstract string InvalidMessage { get; }

    /// <summary>The HTTP transport settings.</summary>
    HttpSchemeClientOptions Transport { get; }

    /// <summary>Checks the settings.</summary>
    /// <returns>Null when valid, else the reason.</returns>
    string? Validate();

    /// <summary>The constructor check every client runs: both arguments present and the options valid.</summary>
    /// <returns><paramref name="options"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    static TOptions Checked<TOptions>(HttpClient httpClient, TOptions options)
        where TOptions : class, IRemoteRoleOptions
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        return options.Validate() is { } problem ? throw new ArgumentException(problem, nameof(options)) : options;
    }
}
