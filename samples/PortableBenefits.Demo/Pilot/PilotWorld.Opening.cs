using PortableBenefits.Demo.Http;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Witnesses;
using Npgsql;
using Wallet.Storage.Postgres;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Sqlite;

namespace PortableBenefits.Demo.Pilot;

/// <summary>The two ways a pilot starts: a scheme of its own on local stores, or a connection to a running Scheme.Server.</summary>
internal sealed partial class PilotWorld
{
    private static async Task<PilotWorld> OpenInProcessAsync(PilotOptions options)
    {
        if (options.PostgresConnection is { } connection)
        {
            return await OpenOnPostgresAsync(options, connection).ConfigureAwait(false);
        }

        string directory = options.DataDirectory ?? Directory.CreateTempSubdirectory("walletcore-pilot-").FullName;
        Directory.CreateDirectory(directory);
        foreach (string name in SqliteSchemeDatabase.SeparateFileNames.Append(SqliteSchemeDatabase.DefaultFileName))
        {
            // A pilot starts from nothing: files of an earlier run in the chosen directory are replaced.
            foreach (string suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(Path.Combine(directory, name + suffix));
            }
        }

        // One file, one transaction per operation (issue 19): ledger, scheme state and log commit together.
        var database = await SqliteSchemeDatabase.OpenAsync(Path.Combine(directory, SqliteSchemeDatabase.DefaultFileName)).ConfigureAwait(false);
        string description = "one SQLite file, " + database.Path;
        var clock = new PilotClock(PilotStart);
        var schemeKey = Ed25519SigningKey.Generate();
        var accreditation = Ed25519SigningKey.Generate();
        var scheme = new BenefitScheme(schemeKey, accreditation.PublicKey, new SchemeLedger(database.Ledger, clock), database.Scheme, database.Log, clock)
        {
            Transactions = database,
        };
        var world = new PilotWorld(options, directory, accreditation, scheme.PublicKey, scheme, scheme, description, database, null, clock);
        world.Own(schemeKey);
        return world;
    }

    // Every store in one PostgreSQL database through one data source: no directory, no local file (issue 19).
    private static async Task<PilotWorld> OpenOnPostgresAsync(PilotOptions options, string connection)
    {
        var dataSource = new NpgsqlDataSourceBuilder(PostgresLedgerStore.TuneConnectionString(connection)).Build();
        var stores = new AsyncDisposables(dataSource);
        try
        {
            // One schema, one transaction per operation, as on SQLite.
            var database = stores.Add(await PostgresSchemeDatabase.OpenAsync(dataSource).ConfigureAwait(false));
            var clock = new PilotClock(PilotStart);
            var schemeKey = Ed25519SigningKey.Generate();
            var accreditation = Ed25519SigningKey.Generate();
            var scheme = new BenefitScheme(schemeKey, accreditation.PublicKey, new SchemeLedger(database.Ledger, clock), database.Scheme, database.Log, clock)
            {
                Transactions = database,
            };
            string description = "ledger, scheme state and log all in PostgreSQL (" + new NpgsqlConnectionStringBuilder(connection) { Password = null } + "), no local file";
            var world = new PilotWorld(options, null, accreditation, scheme.PublicKey, scheme, scheme, description, stores, null, clock);
            world.Own(schemeKey);
            return world;
        }
        catch
        {
            await stores.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<PilotWorld> ConnectAsync(PilotOptions options, Uri root)
    {
        string operatorKey = (await File.ReadAllTextAsync(options.OperatorKeyFile!).ConfigureAwait(false)).Trim();
        var accreditation = Ed25519SigningKey.FromSeed(await File.ReadAllBytesAsync(options.AccreditationKeyFile!).ConfigureAwait(false));
        var clock = new PilotClock(PilotStart);
        var remoteClock = new RemoteClock(new Uri(root, "pb1/operator/sample/clock"), operatorKey);
        try
        {
            var client = new HttpSchemeClient(remoteClock.Http, new HttpSchemeClientOptions { BaseAddress = new Uri(root, "pb1/") });
            var schemeOperator = new HttpSchemeOperatorClient(remoteClock.Http, new HttpSchemeOperatorClientOptions
            {
                Transport = new HttpSchemeClientOptions { BaseAddress = new Uri(root, "pb1/operator/") },
                OperatorKey = operatorKey,
            });
            var schemeKey = await schemeOperator.GetPublicKeyAsync().ConfigureAwait(false);
            var head = await client.GetTreeHeadAsync().ConfigureAwait(false);
            if (head.TreeSize != 0 || !head.Verify(schemeKey))
            {
                throw new InvalidOperationException($"The scheme at {root} already holds a log of {head.TreeSize} entries: start Scheme.Server on a fresh --data directory for a pilot.");
            }

            var policy = options.WitnessKeys.Count == 0 ? null : await WitnessPolicyAsync(options, client, schemeKey).ConfigureAwait(false);
            string description = $"scheme server at {root}: operator calls over the authenticated operator API, wallets, providers and auditor over PB/1 HTTP"
                + (policy is null ? "" : $"; wallets trust checkpoints cosigned by {policy.Quorum} of {policy.WitnessCount} witnesses");
            return new PilotWorld(options, null, accreditation, schemeKey, schemeOperator, client, description, null, remoteClock, clock) { WitnessPolicy = policy };
        }
        catch
        {
            remoteClock.Dispose();
            accreditation.Dispose();
            throw;
        }
    }

    // The log's key is the scheme key under the checkpoints' origin (docs/PROTOCOL.md 5.14), read from the server's own
    // checkpoint: the name only selects the key, so a wrong origin cannot make a forged checkpoint verify.
    private static async Task<WitnessPolicy> WitnessPolicyAsync(PilotOptions options, HttpSchemeClient client, Ed25519PublicKey schemeKey)
    {
        var note = await client.GetCheckpointAsync().ConfigureAwait(false);
        var policyOptions = new WitnessPolicyOptions
        {
            LogVerifierKey = new Ed25519NoteVerifier(Checkpoint.Parse(note.Text).Origin, schemeKey).VerifierKey,
            Quorum = options.WitnessQuorum ?? options.WitnessKeys.Count,
        };
        foreach (string vkey in options.WitnessKeys)
        {
            // A vkey is "<name>+<key id>+<key>"; Validate reports a malformed one.
            policyOptions.Witnesses.Add(new WitnessKeyOptions { Name = vkey.Split('+')[0], VerifierKey = vkey });
        }

        var problems = policyOptions.Validate();
        return problems.Count == 0 ? new WitnessPolicy(policyOptions) : throw new ArgumentException("--witness-key/--witness-quorum: " + string.Join(" ", problems));
    }

    // The PostgreSQL stores and their data source, disposed in reverse order of opening: the data source last.
    private sealed class AsyncDisposables(NpgsqlDataSource dataSource) : IAsyncDisposable
    {
        private readonly List<IAsyncDisposable> _items = [dataSource];

        public T Add<T>(T item)
            where T : IAsyncDisposable
        {
            _items.Add(item);
            return item;
        }

        public async ValueTask DisposeAsync()
        {
            for (int i = _items.Count - 1; i >= 0; i--)
            {
                await _items[i].DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
