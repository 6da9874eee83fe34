using Microsoft.Data.Sqlite;
using Wallet.Audit.Tool.Cli;

namespace Wallet.Audit.Tool.Mirror;

/// <summary>
/// The mirror: one SQLite file (<c>mirror.db</c>) in the mirror's directory holding the trust anchors, every log entry
/// with its leaf hash, the checkpoints in the order they were fetched, the PB/1 tree heads, and any split-view evidence.
/// A sync adds what it fetched in one transaction, so a failed sync leaves the mirror as it was.
/// </summary>
internal sealed class MirrorStore : IDisposable
{
    /// <summary>The mirror's file name inside its directory.</summary>
    public const string FileName = "mirror.db";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS anchors (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS entries (idx INTEGER PRIMARY KEY, entry BLOB NOT NULL, leaf_hash BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS checkpoints (seq INTEGER PRIMARY KEY AUTOINCREMENT, tree_size INTEGER NOT NULL, root BLOB NOT NULL, note TEXT NOT NULL, fetched_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS tree_heads (seq INTEGER PRIMARY KEY AUTOINCREMENT, tree_size INTEGER NOT NULL, head BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS forks (seq INTEGER PRIMARY KEY AUTOINCREMENT, evidence TEXT NOT NULL, detected_at TEXT NOT NULL);
        """;

    private readonly SqliteConnection _connection;

    private MirrorStore(SqliteConnection connection, string path) => (_connection, Path) = (connection, path);

    /// <summary>The mirror file's path.</summary>
    public string Path { get; }

    /// <summary>Opens the mirror in <paramref name="directory"/>, creating the directory and file when <paramref name="create"/> is set.</summary>
    /// <exception cref="ToolException">There is no mirror there (and none is to be created), or the file is not a mirror.</exception>
    public static MirrorStore Open(string directory, bool create)
    {
        string path = System.IO.Path.Combine(directory, FileName);
        if (!create && !File.Exists(path))
        {
            throw new ToolException(ExitCodes.Usage, $"{directory} holds no mirror ({FileName}); run 'walletcore-audit sync <scheme-url> {directory}' first.");
        }

        Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, Schema);
            return new MirrorStore(connection, path);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new ToolException(ExitCodes.Usage, $"{path} is not a readable mirror: {e.Message}", e);
        }
    }

    public MirrorAnchors? ReadAnchors()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = Command("SELECT name, value FROM anchors"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                values[reader.GetString(0)] = reader.GetString(1);
            }
        }

        if (!values.TryGetValue("log_vkey", out string? log) || !values.TryGetValue("accreditation_key", out string? accreditation))
        {
            return null;
        }

        ImmutableArray<string> witnesses = [.. values.Where(p => p.Key.StartsWith("witness:", StringComparison.Ordinal)).OrderBy(p => int.Parse(p.Key["witness:".Length..], CultureInfo.InvariantCulture)).Select(p => p.Value)];
        int quorum = values.TryGetValue("quorum", out string? q) ? int.Parse(q, CultureInfo.InvariantCulture) : 0;
        return new MirrorAnchors(log, accreditation, witnesses, quorum);
    }

    public void WriteAnchors(MirrorAnchors anchors)
    {
        using var transaction = _connection.BeginTransaction();
        Insert(transaction, "log_vkey", anchors.LogVerifierKey);
        Insert(transaction, "accreditation_key", anchors.AccreditationKey);
        Insert(transaction, "quorum", anchors.Quorum.ToString(CultureInfo.InvariantCulture));
        for (int i = 0; i < anchors.Witnesses.Length; i++)
        {
            Insert(transaction, $"witness:{i}", anchors.Witnesses[i]);
        }

        transaction.Commit();
    }

    public ulong CountEntries()
    {
        using var command = Command("SELECT COUNT(*) FROM entries");
        return (ulong)(long)command.ExecuteScalar()!;
    }

    /// <summary>The stored leaf hashes, in log order (as stored; <see cref="ReadEntries"/> gives the bytes to recompute them).</summary>
    public List<MerkleHash> ReadLeafHashes()
    {
        var hashes = new List<MerkleHash>();
        using var command = Command("SELECT leaf_hash FROM entries ORDER BY idx");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            byte[] leaf = reader.GetFieldValue<byte[]>(0);
            hashes.Add(leaf.Length == MerkleHash.Length
                ? new MerkleHash(leaf)
                : throw new ToolException(ExitCodes.AuditFailure, $"The mirror is damaged: the leaf hash of entry {hashes.Count} is not 32 bytes; run 'walletcore-audit verify'."));
        }

        return hashes;
    }

    public List<StoredEntry> ReadEntries()
    {
        var entries = new List<StoredEntry>();
        using var command = Command("SELECT idx, entry, leaf_hash FROM entries ORDER BY idx");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            byte[] leaf = reader.GetFieldValue<byte[]>(2);
            entries.Add(new StoredEntry((ulong)reader.GetInt64(0), reader.GetFieldValue<byte[]>(1), leaf.Length == MerkleHash.Length ? new MerkleHash(leaf) : default));
        }

        return entries;
    }

    public List<StoredCheckpoint> ReadCheckpoints()
    {
        var checkpoints = new List<StoredCheckpoint>();
        using var command = Command("SELECT seq, tree_size, root, note, fetched_at FROM checkpoints ORDER BY seq");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            byte[] root = reader.GetFieldValue<byte[]>(2);
            checkpoints.Add(new StoredCheckpoint(
                reader.GetInt64(0),
                (ulong)reader.GetInt64(1),
                root.Length == MerkleHash.Length ? new MerkleHash(root) : default,
                reader.GetString(3),
                DateTimeOffset.Parse(reader.GetString(4), CultureInfo.InvariantCulture)));
        }

        return checkpoints;
    }

    public List<byte[]> ReadTreeHeads()
    {
        var heads = new List<byte[]>();
        using var command = Command("SELECT head FROM tree_heads ORDER BY seq");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            heads.Add(reader.GetFieldValue<byte[]>(0));
        }

        return heads;
    }

    public List<StoredFork> ReadForks()
    {
        var forks = new List<StoredFork>();
        using var command = Command("SELECT evidence, detected_at FROM forks ORDER BY seq");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            forks.Add(new StoredFork(reader.GetString(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture)));
        }

        return forks;
    }

    /// <summary>
    /// Adds what one sync fetched, in one transaction: the new entries, the checkpoint (a new row for a new size, or in
    /// place of the latest one for the same size, when it carries other signatures), and the tree head if any.
    /// </summary>
    public void Commit(IReadOnlyList<StoredEntry> entries, Checkpoint checkpoint, string note, DateTimeOffset fetchedAt, bool replaceLatest, SignedTreeHead? treeHead)
    {
        using var transaction = _connection.BeginTransaction();
        foreach (var entry in entries)
        {
            using var insert = Command("INSERT INTO entries (idx, entry, leaf_hash) VALUES ($idx, $entry, $leaf)", transaction);
            insert.Parameters.AddWithValue("$idx", (long)entry.Index);
            insert.Parameters.AddWithValue("$entry", entry.Bytes);
            insert.Parameters.AddWithValue("$leaf", entry.LeafHash.ToArray());
            insert.ExecuteNonQuery();
        }

        string sql = replaceLatest
            ? "UPDATE checkpoints SET note = $note, fetched_at = $at WHERE seq = (SELECT MAX(seq) FROM checkpoints) AND tree_size = $size AND root = $root"
            : "INSERT INTO checkpoints (tree_size, root, note, fetched_at) VALUES ($size, $root, $note, $at)";
        using (var command = Command(sql, transaction))
        {
            command.Parameters.AddWithValue("$size", (long)checkpoint.TreeSize);
            command.Parameters.AddWithValue("$root", checkpoint.RootHash.ToArray());
            command.Parameters.AddWithValue("$note", note);
            command.Parameters.AddWithValue("$at", fetchedAt.ToString("O", CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
        }

        if (treeHead is not null)
        {
            using var head = Command("INSERT INTO tree_heads (tree_size, head) SELECT $size, $head WHERE NOT EXISTS (SELECT 1 FROM tree_heads WHERE tree_size = $size)", transaction);
            head.Parameters.AddWithValue("$size", (long)treeHead.TreeSize);
            head.Parameters.AddWithValue("$head", treeHead.Encode());
            head.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    public void AddFork(SplitViewEvidence evidence, DateTimeOffset detectedAt)
    {
        using var command = Command("INSERT INTO forks (evidence, detected_at) VALUES ($evidence, $at)");
        command.Parameters.AddWithValue("$evidence", evidence.Format());
        command.Parameters.AddWithValue("$at", detectedAt.ToString("O", CultureInfo.InvariantCulture));
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private void Insert(SqliteTransaction transaction, string name, string value)
    {
        using var command = Command("INSERT OR REPLACE INTO anchors (name, value) VALUES ($name, $value)", transaction);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }
}
