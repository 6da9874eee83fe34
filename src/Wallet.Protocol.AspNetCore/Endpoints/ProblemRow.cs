namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>One problem an endpoint may answer: the status and the RFC 9457 type URI (<see cref="ProblemTypes"/>).</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Type">The problem type URI.</param>
internal readonly record struct ProblemRow(int Status, string Type);
