namespace Wallet.Architecture.Tests;

/// <summary>The test tree mirrors the src tree (docs/architecture.md "Tests"): every src folder has its test folder.</summary>
public sealed class TestTreeTests
{
    private static readonly string Root = FindRoot();

    /// <summary>Each src project with the test project that mirrors it.</summary>
    public static readonly TheoryData<string, string> Projects = new()
    {
        { "Wallet.Crypto", "Wallet.Crypto.Tests" },
        { "Wallet.Protocol", "Wallet.Protocol.Tests" },
        { "Wallet.Protocol.Http", "Wallet.Protocol.AspNetCore.Tests" },
        { "Wallet.Protocol.AspNetCore", "Wallet.Protocol.AspNetCore.Tests" },
        { "Wallet.Storage.Sqlite", "Wallet.Storage.Sqlite.Tests" },
        { "Wallet.Storage.Postgres", "Wallet.Storage.Postgres.Tests" },
        { "Wallet.Hosting", "Wallet.Hosting.Tests" },
    };

    [Theory]
    [MemberData(nameof(Projects))]
    public void EverySourceFolderHasATestFolder(string project, string testProject)
    {
        var source = Path.Combine(Root, "src", project);
        var tests = Path.Combine(Root, "tests", testProject);
        var missing = Directory.GetDirectories(source)
            .Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj"))
            .Where(name => Directory.EnumerateFiles(Path.Combine(source, name!), "*.cs", SearchOption.AllDirectories).Any())
            .Where(name => !Directory.Exists(Path.Combine(tests, name!)))
            .ToList();

        Assert.True(missing.Count == 0, $"{project}: no test folder for {string.Join(", ", missing)}");
    }

    [Fact]
    public void NoSourceFileIsOverFiveHundredLines()
    {
        var large = Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: Path.GetRelativePath(Root, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 500)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();

        Assert.True(large.Count == 0, string.Join(Environment.NewLine, large));
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "WalletCore.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("WalletCore.sln not found above the test output directory.");
    }
}
