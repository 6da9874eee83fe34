namespace PortableBenefits.Demo.Pilot;

/// <summary>An employer paying into the scheme; the sector decides the training levy and the default union.</summary>
internal sealed record Employer(string Name, string Sector, string Region, bool PaysTrainingLevy);
