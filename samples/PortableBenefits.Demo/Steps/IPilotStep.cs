using PortableBenefits.Demo.Pilot;

namespace PortableBenefits.Demo.Steps;

/// <summary>One step of the pilot. Steps run in order over the shared <see cref="PilotWorld"/>; a step that needs an API another branch is building does the nearest honest thing and says so.</summary>
internal interface IPilotStep
{
    string Title { get; }

    Task RunAsync(PilotWorld world, CancellationToken cancellationToken);
}
