using System.Globalization;

namespace PortableBenefits.Demo.Pilot;

/// <summary>Minor units printed as units with two decimals.</summary>
internal static class Money
{
    public static string Format(long minorUnits) => (minorUnits / 100m).ToString("#,0.00", CultureInfo.InvariantCulture);
}
