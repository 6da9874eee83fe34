namespace Wallet.Architecture.Tests;

/// <summary>
/// The namespace rules of docs/architecture.md, checked on the dependency graph read from the built assemblies
/// (signatures and method bodies alike).
/// </summary>
public sealed class NamespaceGraphTests
{
    private static readonly Lazy<DependencyGraph> Graph = new(DependencyGraph.Build);

    /// <summary>A namespace (and those below it) with the namespaces (and those below them) it must never use.</summary>
    public static readonly TheoryData<string, string[]> Forbidden = new()
    {
        // Values and the encoding kit are the bottom layer of Wallet.Protocol.
        { "Wallet.Protocol.Wire", ["Wallet.Protocol.Coins", "Wallet.Protocol.Keysets", "Wallet.Protocol.Ledger", "Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets"] },
        // The ledger knows accounts and amounts, not the flows, the scheme, the log or the wallets.
        { "Wallet.Protocol.Ledger", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Withdrawals", "Wallet.Protocol.Deposits", "Wallet.Protocol.Swaps", "Wallet.Protocol.Recovery", "Wallet.Protocol.Log", "Wallet.Protocol.Roles", "Wallet.Protocol.Audit", "Wallet.Protocol.Providers"] },
        // The worker's wallet never sees the scheme's books or its implementation.
        { "Wallet.Protocol.Wallets", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Ledger", "Wallet.Protocol.Audit", "Wallet.Protocol.Providers"] },
        // A role interface never depends on a role's implementation.
        { "Wallet.Protocol.Roles", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Providers", "Wallet.Protocol.Audit"] },
        // The auditor and the provider work from what is published, not from the scheme's internals.
        { "Wallet.Protocol.Audit", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Ledger"] },
        { "Wallet.Protocol.Providers", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Ledger"] },
        // The records every flow reads (coins, keysets, registries, log entries, payments) sit below the flows.
        { "Wallet.Protocol.Coins", ["Wallet.Protocol.Flows", "Wallet.Protocol.Schemes", "Wallet.Protocol.Withdrawals", "Wallet.Protocol.Deposits", "Wallet.Protocol.Swaps", "Wallet.Protocol.Recovery", "Wallet.Protocol.Wallets"] },
        { "Wallet.Protocol.Keysets", ["Wallet.Protocol.Flows", "Wallet.Protocol.Schemes", "Wallet.Protocol.Log", "Wallet.Protocol.Operators", "Wallet.Protocol.Withdrawals", "Wallet.Protocol.Deposits", "Wallet.Protocol.Swaps", "Wallet.Protocol.Wallets"] },
        { "Wallet.Protocol.Registry", ["Wallet.Protocol.Flows", "Wallet.Protocol.Schemes", "Wallet.Protocol.Log", "Wallet.Protocol.Withdrawals", "Wallet.Protocol.Deposits", "Wallet.Protocol.Swaps", "Wallet.Protocol.Wallets"] },
        { "Wallet.Protocol.Log", ["Wallet.Protocol.Flows", "Wallet.Protocol.Schemes", "Wallet.Protocol.Withdrawals", "Wallet.Protocol.Deposits", "Wallet.Protocol.Swaps", "Wallet.Protocol.Recovery", "Wallet.Protocol.Refunds", "Wallet.Protocol.Wallets", "Wallet.Protocol.Ledger"] },
        { "Wallet.Protocol.Mandates", ["Wallet.Protocol.Flows", "Wallet.Protocol.Schemes", "Wallet.Protocol.Ledger", "Wallet.Protocol.Log", "Wallet.Protocol.Withdrawals", "Wallet.Protocol.Deposits", "Wallet.Protocol.Swaps", "Wallet.Protocol.Recovery", "Wallet.Protocol.Allocation", "Wallet.Protocol.Wallets", "Wallet.Protocol.Providers", "Wallet.Protocol.Roles"] },
        { "Wallet.Protocol.Witnesses", ["Wallet.Protocol.Flows", "Wallet.Protocol.Schemes", "Wallet.Protocol.Withdrawals", "Wallet.Protocol.Deposits", "Wallet.Protocol.Swaps", "Wallet.Protocol.Recovery", "Wallet.Protocol.Wallets", "Wallet.Protocol.Ledger", "Wallet.Protocol.Roles", "Wallet.Protocol.Providers"] },
        // The scheme's cosigner drives the scheme and the witnesses, nothing on the worker's side or in the books.
        { "Wallet.Protocol.Checkpoints", ["Wallet.Protocol.Wallets", "Wallet.Protocol.Providers", "Wallet.Protocol.Ledger", "Wallet.Protocol.Audit"] },
        // What the scheme's flow handlers share knows no flow and no façade.
        { "Wallet.Protocol.Flows", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Roles", "Wallet.Protocol.Wallets", "Wallet.Protocol.Withdrawals", "Wallet.Protocol.Deposits", "Wallet.Protocol.Swaps", "Wallet.Protocol.Recovery", "Wallet.Protocol.Allocation", "Wallet.Protocol.Refunds"] },
        // Flows never reach up into the façades that compose them.
        { "Wallet.Protocol.Withdrawals", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Roles"] },
        { "Wallet.Protocol.Deposits", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Roles"] },
        { "Wallet.Protocol.Swaps", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Roles"] },
        { "Wallet.Protocol.Recovery", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Roles"] },
        { "Wallet.Protocol.Allocation", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Roles"] },
        { "Wallet.Protocol.Refunds", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Roles", "Wallet.Protocol.Providers"] },
        { "Wallet.Protocol.Payouts", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Roles"] },
        { "Wallet.Protocol.Statements", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Roles", "Wallet.Protocol.Providers", "Wallet.Protocol.Audit"] },
        // The shared HTTP binding encodes messages; it never depends on an implementation of a role.
        { "Wallet.Protocol.Binding", ["Wallet.Protocol.Schemes", "Wallet.Protocol.Wallets", "Wallet.Protocol.Flows"] },
        // Crypto is below everything; the client and server HTTP packages are siblings; stores know no transport.
        { "Wallet.Crypto", ["Wallet.Protocol", "Wallet.Storage", "Wallet.Hosting"] },
        { "Wallet.Protocol.Http", ["Wallet.Protocol.AspNetCore", "Wallet.Storage", "Wallet.Hosting", "Wallet.Protocol.Schemes"] },
        { "Wallet.Protocol.AspNetCore", ["Wallet.Protocol.Http", "Wallet.Storage", "Wallet.Hosting"] },
        { "Wallet.Storage", ["Wallet.Protocol.Http", "Wallet.Protocol.AspNetCore", "Wallet.Hosting"] },
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void NamespaceNeverUsesAForbiddenOne(string source, string[] forbidden)
    {
        var violations = (
            from edge in Graph.Value.Edges
            where Within(edge.Key, source)
            from target in edge.Value
            where forbidden.Any(f => Within(target, f))
            select $"{edge.Key} -> {target}").ToList();

        Assert.True(Graph.Value.Edges.Keys.Any(k => Within(k, source)), $"no namespace {source}: the rule is stale");
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    /// <remarks>
    /// The unit is a top-level folder of the assembly: a folder's own sub-namespaces (Wallets/State, Wallets/Flows)
    /// count as that folder, so the wallet may be organised inside its folder without the rule caring.
    /// </remarks>
    [Theory]
    [InlineData("Wallet.Protocol")]
    [InlineData("Wallet.Crypto")]
    public void FolderGraphHasNoCycles(string assemblyRoot)
    {
        string Folder(string ns) => string.Join('.', ns.Split('.').Take(assemblyRoot.Split('.').Length + 1));
        var folders = Graph.Value.Edges
            .Where(e => Within(e.Key, assemblyRoot) && !IsOtherAssembly(e.Key, assemblyRoot))
            .GroupBy(e => Folder(e.Key))
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Value).Where(t => Within(t, assemblyRoot) && !IsOtherAssembly(t, assemblyRoot)).Select(Folder).Where(t => t != g.Key).ToHashSet());
        var nodes = folders.Keys.ToHashSet();
        var cycles = StronglyConnected(nodes, n => folders[n].Where(nodes.Contains))
            .Where(c => c.Count > 1)
            .Select(c => string.Join(" <-> ", c.Order(StringComparer.Ordinal)))
            .ToList();

        Assert.True(cycles.Count == 0, string.Join(Environment.NewLine, cycles));
    }

    [Fact]
    public void DetectsACycleAndAForbiddenEdge()
    {
        // The checks above must be able to fail: a hand-made graph with a cycle is reported.
        var edges = new Dictionary<string, string[]> { ["a"] = ["b"], ["b"] = ["c"], ["c"] = ["a"], ["d"] = ["a"] };
        var components = StronglyConnected(edges.Keys.ToHashSet(), n => edges[n]);
        Assert.Contains(components, c => c.Count == 3);
        Assert.True(Within("Wallet.Protocol.Schemes.State", "Wallet.Protocol.Schemes"));
        Assert.False(Within("Wallet.Protocol.SchemesX", "Wallet.Protocol.Schemes"));
    }

    private static bool Within(string ns, string root) =>
        ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);

    // Wallet.Protocol.Http is another assembly that shares the Wallet.Protocol prefix.
    private static bool IsOtherAssembly(string ns, string root) =>
        DependencyGraph.ProductAssemblies.Any(a => a != root && a.StartsWith(root + ".", StringComparison.Ordinal) && Within(ns, a));

    private static List<List<string>> StronglyConnected(HashSet<string> nodes, Func<string, IEnumerable<string>> next)
    {
        // Tarjan's algorithm; the graphs here have a few dozen nodes.
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var result = new List<List<string>>();
        var counter = 0;

        void Visit(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in next(v))
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], index[w]);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                result.Add(component);
            }
        }

        foreach (var n in nodes.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(n))
            {
                Visit(n);
            }
        }

        return result;
    }
}
