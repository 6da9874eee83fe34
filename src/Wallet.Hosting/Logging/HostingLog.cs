namespace Wallet.Hosting.Logging;

/// <summary>The hosting layer's log events. Messages name store kinds and providers, never keys, seeds, connection strings or accounts.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "WalletCore scheme opened on the {Store} ledger store")]
    public static partial void SchemeOpened(ILogger logger, string store);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "WalletCore provider role ready for {Provider}")]
    public static partial void ProviderReady(ILogger logger, string provider);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "WalletCore scheme loaded its keyset keys")]
    public static partial void SchemeKeysLoaded(ILogger logger);
}
