using System.Reflection;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;

namespace Wallet.Storage.Postgres.Tests.Ledger;

/// <summary>Journal entries built past the ledger's checks, to drive a store directly; the factory is internal to the protocol assembly.</summary>
internal static class RawJournalEntry
{
    private static readonly MethodInfo Create = typeof(JournalEntry).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!;

    /// <summary>A deposit-kind entry chained to <paramref name="head"/>.</summary>
    public static JournalEntry After(JournalHead head, IdempotencyKey key, DateTimeOffset time, Posting[] postings, SpentCoin[] coins) =>
        (JournalEntry)Create.Invoke(null, [head.Sequence + 1, EntryKind.Deposit, key, time, head.Hash, postings, coins, Array.Empty<KeysetId>()])!;
}
