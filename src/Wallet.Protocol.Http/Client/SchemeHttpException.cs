namespace Wallet.Protocol.Http.Client;

/// <summary>
/// The scheme could not be reached, or refused the request as malformed (an RFC 9457 problem). Expected protocol
/// outcomes never raise it: they arrive as results.
/// </summary>
public sealed class SchemeHttpException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SchemeHttpException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public SchemeHttpException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public SchemeHttpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a problem response.</summary>
    /// <param name="message">The message.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="problemType">The RFC 9457 type URI, when the response carried one.</param>
    public SchemeHttpException(string message, HttpStatusCode statusCode, string? problemType)
        : base(message)
    {
        StatusCode = statusCode;
        ProblemType = problemType;
    }

    /// <summary>The HTTP status of the last response, when there was one.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The problem type URI (see <see cref="Wallet.Protocol.Binding.ProblemTypes"/>), when the response carried one.</summary>
    public string? ProblemType { get; }
}
