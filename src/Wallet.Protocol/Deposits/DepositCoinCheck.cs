namespace Wallet.Protocol.Deposits;

/// <summary>The checks of one coin of a deposit that need no spent state: keyset, provider, accreditation at the payment time, windows and signatures.</summary>
internal static class DepositCoinCheck
{
    /// <summary>
    /// The first check the spend fails, or null when it passes them all. <paramref name="verified"/> is the outcome of
    /// the two signature checks made ahead (<see cref="DepositSignatures"/>), or null to verify here.
    /// <paramref name="requestChecks"/> remembers the payment request's signature check per receipt key across the
    /// coins of one payment (they share the request), or is null to verify it for every coin.
    /// </summary>
    public static DepositRejectionReason? Check(
        AccountId depositor, CoinSpend spend, StoredKeyset? stored, IReadOnlyList<AccreditationRegistry> registries, DateTimeOffset now, KeysetSigner? signer, SpendSignatures? verified = null, Dictionary<Ed25519PublicKey, bool>? requestChecks = null)
    {
        if (stored is null || stored.Revoked)
        {
            return DepositRejectionReason.UnknownKeyset;
        }

        var descriptor = stored.Announcement.Descriptor;
        var request = spend.Request;
        if (spend.Request.Provider != depositor)
        {
            return DepositRejectionReason.WrongProvider;
        }

        // The registry in force at the payment time decides, so a later de-accreditation does not void honest payments.
        // Of all checks, only this one can turn from failing to passing later (a payment time still ahead of the
        // scheme's clock, or a registry published since); DepositHandler relies on that when it recovers from a crash.
        // The payment time is a day (PB/1 version 2): the checks pass when they pass at some moment of that day up to
        // now, judged by the last registry in force by then (so a provider accredited during the day is accepted).
        if (request.IssuedOn > now)
        {
            return DepositRejectionReason.ProviderNotAccredited;
        }

        var dayEnd = request.IssuedOn + PaymentRequest.TimeGranularity - TimeSpan.FromSeconds(1);
        var last = dayEnd < now ? dayEnd : now;
        var registry = registries.LastOrDefault(r => r.IssuedAt <= last);
        var record = registry?.Find(depositor);
        if (record is null || !request.OverlapsDay(record.ValidFrom, record.ValidUntil) || record.ValidFrom > last)
        {
            return DepositRejectionReason.ProviderNotAccredited;
        }

        if (requestChecks is null || !requestChecks.TryGetValue(record.ReceiptKey, out bool signed))
        {
            signed = request.Verify(record.ReceiptKey);
            requestChecks?.Add(record.ReceiptKey, signed);
        }

        if (!signed)
        {
            return DepositRejectionReason.BadPaymentRequest;
        }

        if (!record.Accepts(descriptor.Fund))
        {
            return DepositRejectionReason.FundNotAllowed;
        }

        if (!request.OverlapsDay(descriptor.WithdrawFrom, last < descriptor.SpendUntil ? last : descriptor.SpendUntil))
        {
            return DepositRejectionReason.OutsideSpendWindow;
        }

        if (!descriptor.IsDepositable(now))
        {
            return DepositRejectionReason.OutsideDepositWindow;
        }

        bool issued = verified?.Issuer ?? (signer is not null ? spend.Coin.VerifyIssuerWith(descriptor, signer.Verifier) : spend.Coin.VerifyIssuer(descriptor));
        if (!issued)
        {
            return DepositRejectionReason.BadIssuerSignature;
        }

        return (verified?.Spend ?? spend.VerifySpendSignature()) ? null : DepositRejectionReason.BadSpendSignature;
    }
}
