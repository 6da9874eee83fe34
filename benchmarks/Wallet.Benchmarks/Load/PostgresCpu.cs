using System.Globalization;
using Npgsql;

namespace Wallet.Benchmarks.Load;

/// <summary>
/// The CPU time of a PostgreSQL server's processes (the postmaster and its children: backends, WAL writer,
/// checkpointer), read from /proc on Linux, so that a load window can say what the database itself cost next to the
/// scheme's nodes. Backends that exit within the window take their time with them; the nodes' pooled connections live
/// through it.
/// </summary>
internal sealed class PostgresCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on
    private readonly int _postmaster;

    private PostgresCpu(int postmaster) => _postmaster = postmaster;

    /// <summary>Finds the postmaster as the parent of a backend of <paramref name="connectionString"/>; null off Linux.</summary>
    public static async Task<PostgresCpu?> OpenAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        int backend = (int)(await command.ExecuteScalarAsync())!;
        return Stat(backend) is { } stat ? new PostgresCpu(stat.Parent) : null;
    }

    /// <summary>The CPU time the postmaster and its live children have used so far.</summary>
    public TimeSpan Read()
    {
        long ticks = 0;
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && Stat(pid) is { } stat && (pid == _postmaster || stat.Parent == _postmaster))
            {
                ticks += stat.Ticks;
            }
        }

        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    private static (int Parent, long Ticks)? Stat(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ... utime stime ..."; comm may hold spaces, so split after the ')'.
            string text = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
