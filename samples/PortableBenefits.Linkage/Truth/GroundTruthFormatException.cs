namespace PortableBenefits.Linkage.Truth;

/// <summary>A ground-truth file has a line that is not one of the five documented forms.</summary>
public sealed class GroundTruthFormatException : FormatException
{
    /// <summary>Creates the exception for a malformed line.</summary>
    /// <param name="lineNumber">The line, counted from 1.</param>
    /// <param name="reason">What is wrong with it.</param>
    public GroundTruthFormatException(int lineNumber, string reason)
        : base($"ground truth line {lineNumber}: {reason}")
    {
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>The malformed line, counted from 1.</summary>
    public int LineNumber { get; }

    /// <summary>What is wrong with the line, without the line number.</summary>
    public string Reason { get; }
}
