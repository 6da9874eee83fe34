namespace Wallet.Protocol.AspNetCore;

/// <summary>The origin, route prefix and caching of the C2SP tlog-tiles endpoints (docs/http.md "Tiled log").</summary>
public sealed class WalletTileEndpointOptions
{
    /// <summary>
    /// The log's origin: the first line of every checkpoint and the key name of the scheme's signature on it. Optional:
    /// the checkpoint served is the scheme's (<see cref="Schemes.BenefitScheme.GetCheckpointAsync"/>, with the witnesses'
    /// cosignatures), under <see cref="Schemes.BenefitScheme.CheckpointOrigin"/>; when set, it must be that origin, so that a
    /// mistyped one fails at start-up. By convention the URL the tiles are served under without its scheme or trailing
    /// slash (<see cref="LogOrigin.FromPrefix"/>), for example <c>benefits.example.org/pb1</c>.
    /// </summary>
    public string? Origin { get; set; }

    /// <summary>The route prefix the log is served under: <c>{Prefix}/checkpoint</c>, <c>{Prefix}/tile/…</c>. Default <c>/pb1</c>.</summary>
    public string Prefix { get; set; } = SchemeRoutes.DefaultPrefix;

    /// <summary>How long clients and caches may keep the checkpoint; 0 sends <c>no-store</c>. Default 5 s (the spec asks for a few seconds at most).</summary>
    public TimeSpan CheckpointMaxAge { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long clients and caches may keep a partial tile or bundle, which a full one replaces as the log grows. Default 5 s.</summary>
    public TimeSpan PartialTileMaxAge { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks the settings; called when the endpoints are mapped.</summary>
    /// <exception cref="ArgumentException">The origin is set and breaks the <see cref="LogOrigin"/> convention, the prefix does not start with '/', or a cache age is negative.</exception>
    public void Validate()
    {
        if (Origin is not null && !LogOrigin.IsValid(Origin))
        {
            throw new ArgumentException("Origin is a schema-less URL of printable ASCII with no space, '+' or trailing slash.", nameof(Origin));
        }

        if (string.IsNullOrEmpty(Prefix) || Prefix[0] != '/')
        {
            throw new ArgumentException("Prefix must start with '/'.", nameof(Prefix));
        }

        if (CheckpointMaxAge < TimeSpan.Zero || PartialTileMaxAge < TimeSpan.Zero)
        {
            throw new ArgumentException("Cache ages must not be negative.", nameof(CheckpointMaxAge));
        }
    }
}
