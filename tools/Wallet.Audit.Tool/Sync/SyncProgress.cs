namespace Wallet.Audit.Tool.Sync;

/// <summary>
/// Progress of fetching entries, on stderr: a bar redrawn in place when stderr is a terminal, otherwise a plain line at
/// each quarter, so logs of long syncs stay short. Syncs of one bundle or less print nothing.
/// </summary>
internal sealed class SyncProgress(TextWriter error, bool isTerminal, ulong total)
{
    private const int BarWidth = 30;
    private int _lastQuarter;

    private bool Long => total > Wallet.Crypto.Tiles.TilePath.FullWidth;

    public void Report(ulong done)
    {
        if (!Long)
        {
            return;
        }

        if (isTerminal)
        {
            int filled = (int)(BarWidth * done / total);
            error.Write($"\r[{new string('#', filled)}{new string('.', BarWidth - filled)}] {done}/{total} entries");
            if (done == total)
            {
                error.WriteLine();
            }

            return;
        }

        int quarter = (int)(4 * done / total);
        if (quarter > _lastQuarter)
        {
            _lastQuarter = quarter;
            error.WriteLine($"sync: fetched {done} of {total} new entries ({quarter * 25} %)");
        }
    }
}
