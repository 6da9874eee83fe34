using Microsoft.Extensions.Logging;

namespace Wallet.Protocol.Checkpoints;

/// <summary>The cosigner's log messages.</summary>
internal static partial class CosignerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Witness {Witness} cosigned the checkpoint of size {Size}")]
    public static partial void Cosigned(ILogger logger, string witness, ulong size);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Witness {Witness} refused the checkpoint of size {Size}: {Outcome}. What it cosigned before is not a prefix of this log (a split view, or a forked log sent to it)")]
    public static partial void Refused(ILogger logger, string witness, ulong size, WitnessSubmission outcome);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Witness {Witness} does not cosign the checkpoint of size {Size}: {Outcome}. Check its configuration (origin, log key, or a witness ahead of this log)")]
    public static partial void NotCosigning(ILogger logger, string witness, ulong size, WitnessSubmission outcome);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Witness {Witness} gave no cosignature for the checkpoint of size {Size}: {Outcome}; retried next round")]
    public static partial void Unavailable(ILogger logger, string witness, ulong size, WitnessSubmission outcome);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "A cosigning round failed; the next one retries")]
    public static partial void RoundFailed(ILogger logger, Exception exception);
}
