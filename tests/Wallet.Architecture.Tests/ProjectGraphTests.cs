using System.Reflection;
using System.Runtime.CompilerServices;

namespace Wallet.Architecture.Tests;

/// <summary>The project graph of docs/architecture.md: which product assembly may use which.</summary>
public sealed class ProjectGraphTests
{
    /// <summary>Every product assembly with the product assemblies it may reference (anything else is forbidden).</summary>
    public static readonly TheoryData<string, string[]> Allowed = new()
    {
        { "Wallet.Crypto", [] },
        { "Wallet.Protocol", ["Wallet.Crypto"] },
        { "Wallet.Protocol.Http", ["Wallet.Crypto", "Wallet.Protocol"] },
        { "Wallet.Protocol.AspNetCore", ["Wallet.Crypto", "Wallet.Protocol"] },
        { "Wallet.Storage.Sqlite", ["Wallet.Crypto", "Wallet.Protocol"] },
        { "Wallet.Storage.Postgres", ["Wallet.Crypto", "Wallet.Protocol"] },
        { "Wallet.Storage.Testing", ["Wallet.Crypto", "Wallet.Protocol"] },
        { "Wallet.Hosting", ["Wallet.Crypto", "Wallet.Protocol"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void ProductAssemblyReferencesOnlyWhatTheGraphAllows(string assembly, string[] allowed)
    {
        var used = Assembly.Load(assembly).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(DependencyGraph.ProductAssemblies.Contains)
            .Order(StringComparer.Ordinal)
            .ToArray();

        var forbidden = used.Except(allowed).ToList();
        Assert.True(forbidden.Count == 0, $"{assembly} uses {string.Join(", ", forbidden)}");
    }

    [Fact]
    public void EveryProductAssemblyHasARule()
    {
        var ruled = Allowed.Select(row => (string)row[0]).ToHashSet();
        Assert.All(DependencyGraph.ProductAssemblies, a => Assert.Contains(a, ruled));
    }

    [Fact]
    public void NoProductAssemblyOpensItsInternalsToAnother()
    {
        var grants =
            from name in DependencyGraph.ProductAssemblies
            from attribute in Assembly.Load(name).GetCustomAttributes<InternalsVisibleToAttribute>()
            where DependencyGraph.ProductAssemblies.Contains(attribute.AssemblyName.Split(',')[0].Trim())
            select $"{name} -> {attribute.AssemblyName}";

        Assert.True(!grants.Any(), string.Join(Environment.NewLine, grants));
    }
}
