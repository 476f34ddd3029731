using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Readme;

public sealed partial class Reading_the_alert_fields
{
    [Fact]
    public async Task Should_list_every_field_the_parser_reads_and_no_other()
    {
        var readme = await File.ReadAllTextAsync(RepositoryFiles.Path("README.md"));
        var section = readme[readme.IndexOf("## Alert fields", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var documented = section.Split('\n')
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(l => FieldName().Matches(l.Split('|')[1]).Select(m => m.Groups[1].Value))
            .Order(StringComparer.Ordinal)
            .ToList();

        // Every settable field of the parsed alert, by its wire name.
        var parsed = typeof(AlertPayload).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null)
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
            .Order(StringComparer.Ordinal)
            .ToList();

        documented.ShouldBe(parsed);
    }

    [Fact]
    public async Task Should_mention_the_alert_list_and_its_filters()
    {
        var readme = await File.ReadAllTextAsync(RepositoryFiles.Path("README.md"));
        readme.ShouldContain("GET /api/v1/alerts`");
        readme.ShouldContain("?status=");
        readme.ShouldContain("?strategy=");
        readme.ShouldContain("?limit=");
    }

    [GeneratedRegex("`([a-z_]+)`")]
    private static partial Regex FieldName();
}
