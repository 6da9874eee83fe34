namespace Wallet.Storage.Postgres.Tests.Server;

/// <summary>Every test class that needs the server joins this collection, so one server serves them all.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
