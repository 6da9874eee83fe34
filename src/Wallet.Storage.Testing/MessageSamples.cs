// Seeded on purpose: a failing property replays from its seed. These are test data, not secrets, so the library rule
// against System.Random (src/BannedSymbols.txt) does not hold in the sample builders.
#pragma warning disable RS0030

namespace Wallet.Storage.Testing;

/// <summary>Builds a random but valid instance of every PB/1 message from a seed, so properties can replay failures.</summary>
internal sealed partial class MessageSamples(int seed)
{
    // The public half of tests/Wallet.Crypto.Tests/Keys/rsa2048.pem (SubjectPublicKeyInfo, rsaEncryption): the key the
    // samples always carried, held here as bytes so the package ships no key file and no private key.
    private static readonly ReadOnlyMemory<byte> Rsa2048PublicKeyInfo = Convert.FromBase64String(
        "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAj/PFgDAqLmNQabGJ04Wck17cv60brK1txBUVz9aiTydjFlSmClCPM6G77p7njkfHM7kVmIi8TZ3kW3FVyLD5ncxi/IxOYqQMYK/8bXHDjmJ2tayrvbN+cXXzq+6a7S1Aa8Q09zAwvUTtx9M75zIZXvoHsTvB23ylRsjO31EKRxToaUsYz7K7tIlOhF1jE4+cPtV39CTOV9vX5snmj/WZrV7hRHWpvVJxXBCb6aHbqdBCmgFIkQdydhIhAscQJdDVdAay2kc87n6Fh3/Ya02Ewbw8QjBMd3I34i6z1q8H4MCXyBlFqrxgxnSNSGVEetUA43eKBR2ZLgEMEdixooFz+wIDAQAB");

    private readonly Random _random = new(seed);

    public byte[] Bytes(int length)
    {
        byte[] bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    public string Token() => new([.. Enumerable.Range(0, _random.Next(1, 24)).Select(_ => (char)_random.Next(0x21, 0x7F))]);

    public string Text() => _random.Next(3) switch
    {
        0 => "",
        1 => "Unión de trabajadores — cuota",
        _ => Token(),
    };

    public DateTimeOffset Time() => DateTimeOffset.FromUnixTimeSeconds(_random.NextInt64(0, 4_000_000_000));

    public Amount Positive() => Amount.FromMinorUnits(_random.NextInt64(1, long.MaxValue));

    public KeysetId KeysetId() => new(Bytes(32));

    public CoinId CoinId() => new(Bytes(32));

    public KeysetDescriptor Descriptor()
    {
        var from = Time();
        var until = from.AddSeconds(_random.Next(0, 1_000_000));
        var spend = until.AddSeconds(_random.Next(0, 1_000_000));
        var deposit = spend.AddSeconds(_random.Next(0, 1_000_000));
        var mode = _random.Next(2) == 0 ? BlindRsaScheme.Rsabssa : BlindRsaScheme.Rsapbssa;
        return new KeysetDescriptor((uint)_random.NextInt64(0, uint.MaxValue), Positive(), _random.Next(2) == 0 ? KeysetDescriptor.GeneralFund : Token(), from, until, spend, deposit, mode, Rsa2048PublicKeyInfo.ToArray());
    }

    public KeysetAnnouncement Announcement()
    {
        using var key = Ed25519SigningKey.Generate();
        return KeysetAnnouncement.Sign(Descriptor(), key);
    }

    public AccreditationRegistry Registry()
    {
        using var body = Ed25519SigningKey.Generate();
        var records = Enumerable.Range(0, _random.Next(0, 4)).Select(i =>
        {
            using var key = Ed25519SigningKey.Generate();
            var from = Time();
            return new ProviderRecord(new AccountId($"p{i}-{Token()}"), Text(), [.. Enumerable.Range(0, _random.Next(0, 4)).Select(_ => Token())], key.PublicKey, from, from.AddDays(_random.Next(0, 1000)));
        }).ToList();
        return AccreditationRegistry.Sign((uint)_random.Next(), Time(), records, body);
    }

    public DefaultAllocationTable DefaultTable()
    {
        using var body = Ed25519SigningKey.Generate();
        var rules = new List<DefaultAllocationRule> { new("*", "*", new AccountId(Token())) };
        rules.AddRange(Enumerable.Range(0, _random.Next(0, 5)).Select(i => new DefaultAllocationRule($"s{i}{Token()}", _random.Next(2) == 0 ? "*" : Token(), new AccountId(Token()))));
        return _random.Next(3) switch
        {
            0 => DefaultAllocationTable.Sign((uint)_random.Next(), Time(), rules, body),
            1 => DefaultAllocationTable.Sign((uint)_random.Next(), Time(), rules, SeveralJobsRule.EqualSplit, body),
            _ => DefaultAllocationTable.Sign((uint)_random.Next(), Time(), rules, SeveralJobsRule.ProRata, body),
        };
    }

    public FundsTable FundsTable()
    {
        using var body = Ed25519SigningKey.Generate();
        var rules = Enum.GetValues<ContributionSource>().Where(_ => _random.Next(2) == 0).Select(source => new FundRule(source, Token().Replace('/', '-')));
        return Wallet.Protocol.Registry.FundsTable.Sign((uint)_random.Next(), Time(), rules, body);
    }

    public Coin Coin() => new(KeysetId(), CoinId(), Bytes(_random.Next(1, 512)));

    public PaymentRequest Request()
    {
        using var key = Ed25519SigningKey.Generate();
        var issued = Time();
        return PaymentRequest.Sign(new AccountId(Token()), Positive(), Text(), Bytes(32), issued, issued.AddSeconds(_random.Next(0, 100_000)), key);
    }

    public CoinSpend Spend()
    {
        using var coinKey = Ed25519SigningKey.Generate();
        var coin = new Coin(KeysetId(), new CoinId(coinKey.PublicKey.AsSpan()), Bytes(256));
        return CoinSpend.Sign(coin, Request(), coinKey);
    }

    public DoubleSpendProof Proof() => new(Spend(), Spend());

    public SpendReceipt SpendReceipt()
    {
        using var key = Ed25519SigningKey.Generate();
        return Wallet.Protocol.Payments.SpendReceipt.Sign(Request(), Time(), key);
    }

    public HolderProof HolderProof()
    {
        var keys = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Ed25519SigningKey.Generate()).ToList();
        try
        {
            return Wallet.Protocol.Payments.HolderProof.Sign((HolderProofPurpose)_random.Next(1, 3), new AccountId(Token()), Request().Id, Time(), Bytes(Wallet.Protocol.Payments.HolderProof.NonceLength), keys);
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    public WithdrawalRequest Withdrawal()
    {
        using var key = Ed25519SigningKey.Generate();
        var items = Enumerable.Range(0, _random.Next(1, 5)).Select(_ => new WithdrawalItem(KeysetId(), BlindedMessage.FromBytes(Bytes(256)))).ToList();
        return WithdrawalRequest.Sign(new AccountId(Token()), new IdempotencyKey(Token()), items, Time(), key);
    }

    public WithdrawalResponse WithdrawalResponse()
    {
        using var key = Ed25519SigningKey.Generate();
        var request = Withdrawal();
        var receipt = WithdrawalReceipt.Sign(request, Positive(), Time(), key);
        return new WithdrawalResponse(receipt, [.. request.Items.Select(_ => BlindSignature.FromBytes(Bytes(256)))]);
    }

    public DepositRequest Deposit() => new(new AccountId(Token()), new IdempotencyKey(Token()), [.. Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Spend())]);

    public DepositReceipt DepositReceipt()
    {
        using var key = Ed25519SigningKey.Generate();
        var log = new MerkleLog(new InMemoryMerkleLogStore());
        int size = _random.Next(1, 20);
        for (int i = 0; i < size; i++)
        {
            log.AppendAsync(Bytes(8)).AsTask().GetAwaiter().GetResult();
        }

        var time = new FakeTimeProvider(Time());
        var head = log.SignTreeHeadAsync(key, time).AsTask().GetAwaiter().GetResult();
        ulong index = (ulong)_random.Next(0, size);
        var proof = log.GetInclusionProofAsync(index, head.TreeSize).AsTask().GetAwaiter().GetResult();
        var deposit = Deposit();
        return Wallet.Protocol.Deposits.DepositReceipt.Sign(deposit, [.. deposit.Spends.Select(s => s.Request.Id).Distinct()], Positive(), MerkleTree.HashLeaf(Bytes(8)), head, proof, Time(), key);
    }

    public LedgerCheckpointRecord LedgerCheckpoint()
    {
        using var key = Ed25519SigningKey.Generate();
        var kinds = Enumerable.Range(1, 255).OrderBy(_ => _random.Next()).Take(_random.Next(0, 8));
        return LedgerCheckpointRecord.Sign(
            (ulong)_random.NextInt64(1, long.MaxValue),
            Time(),
            (ulong)_random.NextInt64(0, long.MaxValue),
            (ulong)_random.NextInt64(0, long.MaxValue),
            Bytes(32),
            [.. kinds.Select(k => ((LedgerTotalKind)k, _random.Next(2) == 0 ? -_random.NextInt64(1, long.MaxValue) : _random.NextInt64(1, long.MaxValue)))],
            [.. Enumerable.Range(0, _random.Next(0, 4)).Select(_ => (KeysetId(), Positive()))],
            [.. Enumerable.Range(0, _random.Next(0, 4)).Select(i => ($"f{i}{Token()}", Positive()))],
            key);
    }

    public LogEntry LogEntry() => _random.Next(7) switch
    {
        6 => Wallet.Protocol.Log.LogEntry.ForAllocationTable(DefaultTable()),
        5 => Wallet.Protocol.Log.LogEntry.ForAllocation(AllocationRecord()),
        4 => Wallet.Protocol.Log.LogEntry.ForExpiry(new ExpiryRecord(KeysetId(), Time(), Amount.FromMinorUnits(_random.NextInt64(0, long.MaxValue)))),
        3 => Wallet.Protocol.Log.LogEntry.ForIssuance(new IssuanceRecord(Time(), [.. Enumerable.Range(0, _random.Next(1, 4)).Select(_ => (KeysetId(), _random.Next(1, 65536)))])),
        0 => Wallet.Protocol.Log.LogEntry.ForKeyset(Announcement()),
        1 => Wallet.Protocol.Log.LogEntry.ForRegistry(Registry()),
        _ => Wallet.Protocol.Log.LogEntry.ForSpentCoins(new SpentCoinsRecord(Time(), [.. Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Coin())])),
    };

    public Wallet.Protocol.Payouts.PayoutStatement PayoutStatement()
    {
        using var key = Ed25519SigningKey.Generate();
        var amount = Amount.FromMinorUnits(_random.NextInt64(1, 1L << 40));
        return Wallet.Protocol.Payouts.PayoutStatement.Sign(new AccountId(Token()), amount, Amount.FromMinorUnits(_random.NextInt64(0, 1L << 40)), Amount.FromMinorUnits(amount.MinorUnits + _random.NextInt64(0, 1L << 40)), (ulong)_random.NextInt64(1, long.MaxValue), (ulong)_random.NextInt64(0, long.MaxValue), Time(), key);
    }

    public ProvidersPaidOutRecord PayoutsRecord() => ProvidersPaidOutRecord.Create(
        Time(),
        [.. Enumerable.Range(0, _random.Next(1, 4)).Select(i => new ProviderShare(new AccountId($"p{i}{Token()}"), Amount.FromMinorUnits(_random.NextInt64(1, 1L << 40))))]);

    public DefaultAllocationRecord AllocationRecord()
    {
        var shares = Enumerable.Range(0, _random.Next(0, 4)).Select(i => new ProviderShare(new AccountId($"p{i}{Token()}"), Amount.FromMinorUnits(_random.NextInt64(1, 1L << 40)))).ToList();
        var pooled = Amount.FromMinorUnits(_random.NextInt64(0, 1000));
        return _random.Next(2) == 0
            ? DefaultAllocationRecord.ForExpiredKeyset(KeysetId(), (uint)_random.Next(), Time(), shares, pooled)
            : DefaultAllocationRecord.ForUnwithdrawnBalances(Token(), (uint)_random.Next(), Time(), shares, pooled);
    }
}
