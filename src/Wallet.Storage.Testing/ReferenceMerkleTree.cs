namespace Wallet.Storage.Testing;

/// <summary>
/// RFC 9162 section 2.1 written out as its recursive definitions (MTH, PATH, PROOF/SUBPROOF) over raw bytes,
/// independent of the library: the oracle the log's roots and proofs are checked against. Entries come from
/// a function, so a large tree can be checked without holding its leaves; MTH values of small ranges are
/// memoised unless <c>memoise</c> is off (then memory stays O(log n)).
/// </summary>
internal sealed class ReferenceMerkleTree(Func<long, byte[]> entry, bool memoise = true)
{
    private readonly Dictionary<(long Start, long Count), byte[]> _memo = [];

    public static byte[] LeafHash(byte[] data) => SHA256.HashData([0x00, .. data]);

    public static byte[] NodeHash(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>MTH(D[start : start + count]).</summary>
    public byte[] Mth(long start, long count)
    {
        if (count == 0)
        {
            return SHA256.HashData(ReadOnlySpan<byte>.Empty);
        }

        if (count == 1)
        {
            return LeafHash(entry(start));
        }

        if (_memo.TryGetValue((start, count), out byte[]? cached))
        {
            return cached;
        }

        long k = LargestPowerOfTwoBelow(count);
        byte[] hash = NodeHash(Mth(start, k), Mth(start + k, count - k));
        if (memoise && count <= 4096)
        {
            _memo[(start, count)] = hash;
        }

        return hash;
    }

    /// <summary>PATH(m, D[start : start + n]).</summary>
    public List<byte[]> Path(long m, long start, long n)
    {
        if (n == 1)
        {
            return [];
        }

        long k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            List<byte[]> path = Path(m, start, k);
            path.Add(Mth(start + k, n - k));
            return path;
        }
        else
        {
            List<byte[]> path = Path(m - k, start + k, n - k);
            path.Add(Mth(start, k));
            return path;
        }
    }

    /// <summary>PROOF(m, D[n]) = SUBPROOF(m, D[n], true), for 0 &lt; m ≤ n.</summary>
    public List<byte[]> Proof(long m, long n) => SubProof(m, 0, n, true);

    private List<byte[]> SubProof(long m, long start, long n, bool b)
    {
        if (m == n)
        {
            return b ? [] : [Mth(start, n)];
        }

        long k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            List<byte[]> proof = SubProof(m, start, k, b);
            proof.Add(Mth(start + k, n - k));
            return proof;
        }
        else
        {
            List<byte[]> proof = SubProof(m - k, start + k, n - k, false);
            proof.Add(Mth(start, k));
            return proof;
        }
    }

    private static long LargestPowerOfTwoBelow(long n)
    {
        long k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }
}
