using PortableBenefits.Demo.Pilot;

namespace PortableBenefits.Demo.Steps;

/// <summary>One planned moment of a worker's month; <paramref name="Order"/> keeps one worker's events of the same instant in plan order.</summary>
internal sealed record ActivityEvent(DateTimeOffset At, int Order, PilotWorker Worker, ActivityKind Kind, PilotProvider? Provider = null, string? Purpose = null);
