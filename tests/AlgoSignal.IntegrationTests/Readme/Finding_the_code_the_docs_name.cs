using System.Text.RegularExpressions;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Readme;

/// <summary>
/// docs/architecture.md promises every README behaviour two hops from its code: the files and tests it names must
/// exist, or a move or a rename leaves the map pointing nowhere.
/// </summary>
public sealed partial class Finding_the_code_the_docs_name
{
    private static readonly string[] Skipped = ["bin", "obj", "node_modules", "dist", ".git", "artifacts"];

    [Fact]
    public void Should_find_every_file_and_test_that_architecture_md_names()
    {
        var files = Files(RepositoryFiles.Root).Select(f => "/" + Path.GetRelativePath(RepositoryFiles.Root, f).Replace('\\', '/')).ToList();
        var text = File.ReadAllText(RepositoryFiles.Path("docs", "architecture.md"));
        var named = Backticked().Matches(text).Select(m => m.Groups[1].Value).Distinct().ToList();

        var missingFiles = named.Where(n => FileName().IsMatch(n) && !n.Contains('*', StringComparison.Ordinal) && !n.Contains('<', StringComparison.Ordinal))
            .Where(n => !files.Any(f => f.EndsWith("/" + n, StringComparison.Ordinal) || f.EndsWith("/AlgoSignal." + n, StringComparison.Ordinal)))
            .ToList();
        var sources = files.Where(f => f.EndsWith(".cs", StringComparison.Ordinal) && f.StartsWith("/tests/", StringComparison.Ordinal))
            .Select(f => File.ReadAllText(RepositoryFiles.Root + f)).ToList();
        var missingTests = named.Where(n => TestClassName().IsMatch(n))
            .Where(n => !sources.Any(s => s.Contains((n.StartsWith("Should_", StringComparison.Ordinal) ? " " : "class ") + n, StringComparison.Ordinal)))
            .ToList();

        named.Count(n => FileName().IsMatch(n)).ShouldBeGreaterThan(100, "the map names the product's files");
        missingFiles.ShouldBeEmpty("files docs/architecture.md names that are not in the repository");
        missingTests.ShouldBeEmpty("test classes and tests docs/architecture.md names that do not exist");
    }

    private static IEnumerable<string> Files(string directory) =>
        Directory.EnumerateFiles(directory).Concat(Directory.EnumerateDirectories(directory)
            .Where(d => !Skipped.Contains(Path.GetFileName(d), StringComparer.Ordinal))
            .SelectMany(Files));

    [GeneratedRegex("`([^`\\s]+)`")]
    private static partial Regex Backticked();

    /// <summary>A path or file name with one of the repository's source extensions (a route such as <c>/openapi/v1.json</c> is not one).</summary>
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_./-]*\\.(cs|tsx|ts|sql|sh|yml|yaml|json|csproj|md)$")]
    private static partial Regex FileName();

    /// <summary>A test class as the tests name them (<c>Trading_on_paper</c>, a Domain test class <c>…Tests</c>) or a test (<c>Should_…</c>).</summary>
    [GeneratedRegex("^([A-Z][a-z]+(_[a-z0-9]+){2,}|[A-Z][A-Za-z]+Tests)$")]
    private static partial Regex TestClassName();
}
