namespace Wallet.Protocol.Swaps;

/// <summary>The wallet's conclusion on a swap or recovery response.</summary>
public enum SwapCompletion
{
    /// <summary>Every new coin verified and is kept; the inputs are spent.</summary>
    Completed = 1,
    /// <summary>The wallet has no pending swap with this key and these bytes.</summary>
    UnknownRequest = 2,
    /// <summary>The response is not signed by the scheme, answers another request, or has the wrong number of signatures.</summary>
    BadResponse = 3,
    /// <summary>A blind signature did not unblind to a valid coin; nothing is kept and the swap stays pending.</summary>
    BadSignature = 4,
}
