using Wallet.Crypto.Merkle;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Privacy;

/// <summary>
/// What the scheme receives for a dues mandate payment (docs/PROTOCOL.md 5.19 and section 6): an ordinary deposit by
/// the union, in the shape of a one-off payment of the same amount. No mandate id, member reference or period reaches it.
/// </summary>
public sealed class MandatePaymentPrivacyTests
{
    [Fact]
    public async Task AMandatePaymentReachesTheSchemeShapedLikeAOneOffPaymentOfTheSameAmount()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var wallet = await world.FundedWalletAsync("member-p1", world.General100, world.General100);
        var union = world.UnionA;
        var mandate = await union.IssueMandateAsync("member-reference-7"u8.ToArray(), Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, TimeSpan.FromDays(7), TimeSpan.FromDays(5), world.Time.GetUtcNow(), null);
        Assert.Equal(MandateAcceptance.Accepted, wallet.AcceptMandate(mandate, world.Registry));

        // The mandate payment, deposited alone.
        var request = (await union.CreateMandatePaymentRequestAsync(mandate.Id, 0, TimeSpan.FromDays(1)))!;
        var prepared = wallet.PrepareMandatePayment(mandate.Id, 0, request, world.Registry);
        Assert.Equal(PaymentVerification.Accepted, await union.VerifyPaymentAsync(request, prepared.Spends, world.AllKeysets));
        var (mandateDeposit, mandateResult) = await world.DepositAsync(union, "d-mandate");

        // A one-off payment of the same amount to the same union, deposited alone.
        await world.PayAsync(wallet, union, 100);
        var (oneOffDeposit, oneOffResult) = await world.DepositAsync(union, "d-oneoff");

        Assert.Equal(DepositStatus.Accepted, mandateResult.Status);
        Assert.Equal(DepositStatus.Accepted, oneOffResult.Status);
        var (m, o) = (Assert.Single(mandateDeposit.Spends), Assert.Single(oneOffDeposit.Spends));

        // The same fields and sizes: the request the scheme sees is provider, amount, nonce, day and a salted commitment.
        Assert.Null(m.Request.Details);
        Assert.Equal(o.Request.Encode().Length, m.Request.Encode().Length);
        Assert.Equal((o.Request.Provider, o.Request.Amount, o.Request.IssuedOn), (m.Request.Provider, m.Request.Amount, m.Request.IssuedOn));
        Assert.Equal(o.Encode().Length, m.Encode().Length);
        Assert.Equal(oneOffDeposit.Encode().Length - oneOffDeposit.IdempotencyKey.Value.Length, mandateDeposit.Encode().Length - mandateDeposit.IdempotencyKey.Value.Length);
        Assert.Equal(oneOffResult.Receipt!.Encode().Length, mandateResult.Receipt!.Encode().Length);

        // Nothing of the mandate is in the bytes the scheme received or answered.
        byte[] seen = [.. mandateDeposit.Encode(), .. mandateResult.Receipt.Encode()];
        Assert.False(Contains(seen, mandate.Id.Bytes));
        Assert.False(Contains(seen, mandate.MemberReference));
        Assert.False(Contains(seen, System.Text.Encoding.UTF8.GetBytes(mandate.PurposeFor(0))));
        Assert.False(Contains(seen, System.Text.Encoding.ASCII.GetBytes(mandate.Id.ToString())));
    }

    private static bool Contains(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle) >= 0;
}
