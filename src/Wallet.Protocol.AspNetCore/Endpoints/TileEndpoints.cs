using System.Text;
using Wallet.Crypto.Tiles;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The request handlers behind <c>MapWalletSchemeTiles</c>: the signed checkpoint and the C2SP tlog-tiles hash tiles and
/// entry bundles. A path that is not a canonical tile path is a 400 problem; a tile the log does not hold is a 404 one.
/// </summary>
internal sealed class TileEndpoints(BenefitScheme scheme, WalletTileEndpointOptions options, ILogger logger)
{
    private const string Immutable = "public, max-age=31536000, immutable";
    private const string OctetStream = "application/octet-stream";
    private const string PlainText = "text/plain; charset=utf-8";

    public Task Checkpoint(HttpContext context) => EndpointGuard.RunAsync(context, logger, async () =>
    {
        // The newest note witnesses cosigned (5.16); it changes as cosignatures arrive, so it is kept a few seconds at most.
        var note = await scheme.GetCheckpointAsync(context.RequestAborted).ConfigureAwait(false);
        string caching = options.CheckpointMaxAge == TimeSpan.Zero ? "no-store" : MaxAge(options.CheckpointMaxAge);
        await EndpointGuard.WriteAsync(context, PlainText, Encoding.UTF8.GetBytes(note.Format()), caching).ConfigureAwait(false);
    });

    public Task Tile(HttpContext context) => EndpointGuard.RunAsync(context, logger, async () =>
    {
        if (!TilePath.TryParse("tile/" + (context.Request.RouteValues["path"] as string), out TilePath? path))
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter, "Invalid tile path", "The path is not a canonical C2SP tlog-tiles tile or entry-bundle path.").ConfigureAwait(false);
            return;
        }

        Tile? tile;
        try
        {
            tile = await scheme.ReadTileAsync(path, context.RequestAborted).ConfigureAwait(false);
        }
        catch (NotSupportedException)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No such tile", "An entry of this bundle is too long for a bundle; read it from log/entries.").ConfigureAwait(false);
            return;
        }

        if (tile is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No such tile", "The log does not hold this tile at this width.").ConfigureAwait(false);
            return;
        }

        // A full tile never changes; a partial one is replaced by a wider one as the log grows, so it is kept briefly.
        await EndpointGuard.WriteAsync(context, OctetStream, tile.Data.ToArray(), path.IsPartial ? MaxAge(options.PartialTileMaxAge) : Immutable).ConfigureAwait(false);
    });

    private static string MaxAge(TimeSpan age) => string.Create(CultureInfo.InvariantCulture, $"public, max-age={(long)age.TotalSeconds}");
}
