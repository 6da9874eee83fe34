using Wallet.Crypto.Signing;
using Wallet.Protocol.Providers;

namespace PortableBenefits.Demo.Pilot;

/// <summary>An accredited provider in the pilot and what it charges.</summary>
internal sealed record PilotProvider(AccreditedProvider Role, Ed25519SigningKey ReceiptKey, string Category, string Sector, long Price)
{
    public string Id => Role.Record.Id.Value;
}
