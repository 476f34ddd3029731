using System.Reflection;
using AlgoSignal.Brokers.Paper;
using AlgoSignal.Ingress.Api;
using AlgoSignal.Ingress.Webhooks;
using AlgoSignal.ServiceDefaults;
using AlgoSignal.Worker;
using Shouldly;
using YamlDotNet.RepresentationModel;

namespace AlgoSignal.IntegrationTests.Deployment;

/// <summary>
/// docker-compose.yml cannot run on a host without a Docker engine, so it is kept honest by reading:
/// the services exist, the ports are the application's, and every environment key is a setting the
/// application actually reads.
/// </summary>
public sealed class Reading_docker_compose
{
    private static readonly string Root = FindRoot();
    private static readonly YamlMappingNode Services = LoadServices();

    [Fact]
    public void Should_define_the_seven_services()
    {
        Services.Children.Keys.Select(k => k.ToString()).ShouldBe(["rabbitmq", "postgres", "migrate", "worker", "ingress", "prometheus", "grafana"], ignoreOrder: true);
    }

    [Fact]
    public void Should_scrape_both_processes_where_they_listen()
    {
        var volumes = ((YamlSequenceNode)Service("prometheus")["volumes"]).Children.Select(v => v.ToString()).ToList();
        volumes.ShouldContain("./infra/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
        volumes.ShouldContain("./infra/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
        var config = File.ReadAllText(Path.Combine(Root, "infra", "prometheus", "prometheus.yml"));
        config.ShouldContain("/etc/prometheus/alerts.yml");
        config.ShouldContain("\"ingress:8080\"");
        config.ShouldContain("\"worker:8081\"");
        Environment("worker")["Worker__Urls"].ShouldBe("http://0.0.0.0:8081");
    }

    [Fact]
    public void Should_give_grafana_the_dashboard_and_the_prometheus_source()
    {
        var volumes = ((YamlSequenceNode)Service("grafana")["volumes"]).Children.Select(v => v.ToString().Split(':')[0]).ToList();
        foreach (var source in volumes.Where(v => v.StartsWith("./", StringComparison.Ordinal)))
        {
            Path.Exists(Path.Combine(Root, source)).ShouldBeTrue(source);
        }

        volumes.ShouldContain("./infra/grafana/algosignal.json");
        using var dashboard = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "infra", "grafana", "algosignal.json")));
        var expressions = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!).ToList();
        foreach (var metric in new[] { "algosignal_webhook_requests_total", "algosignal_alerts_final_total", "algosignal_alert_stage_seconds_bucket", "algosignal_orders_total", "algosignal_broker_requests_total", "algosignal_kill_switch_active", "algosignal_notifications_total" })
        {
            expressions.ShouldContain(e => e.Contains(metric, StringComparison.Ordinal), metric);
        }

        File.ReadAllText(Path.Combine(Root, "infra", "grafana", "provisioning", "datasources", "prometheus.yml")).ShouldContain("http://prometheus:9090");
    }

    [Theory]
    [InlineData("rabbitmq", "5672:5672")]
    [InlineData("rabbitmq", "15672:15672")]
    [InlineData("postgres", "5432:5432")]
    [InlineData("ingress", "8080:8080")]
    [InlineData("prometheus", "9090:9090")]
    [InlineData("grafana", "3000:3000")]
    public void Should_publish_the_ports(string service, string mapping)
    {
        var ports = (YamlSequenceNode)Service(service)["ports"];
        ports.Children.Select(p => p.ToString()).ShouldContain(mapping);
    }

    [Theory]
    [InlineData("migrate")]
    [InlineData("worker")]
    [InlineData("ingress")]
    public void Should_only_set_keys_the_application_reads(string service)
    {
        var known = KnownConfigurationKeys();
        foreach (var key in Environment(service).Keys)
        {
            var configKey = string.Join(':', key.Split("__").Where(part => !part.All(char.IsAsciiDigit)));
            known.ShouldContain(configKey, $"{service} sets {key}, which no options class reads");
        }
    }

    [Theory]
    [InlineData("worker")]
    [InlineData("ingress")]
    public void Should_point_the_processes_at_the_compose_services(string service)
    {
        var env = Environment(service);
        env["RabbitMq__Host"].ShouldBe("rabbitmq");
        env["RabbitMq__Port"].ShouldBe("5672");
        var postgres = Environment("postgres");
        var rabbit = Environment("rabbitmq");
        env["ConnectionStrings__Postgres"].ShouldContain("Host=postgres;");
        env["ConnectionStrings__Postgres"].ShouldContain($"Username={postgres["POSTGRES_USER"]};");
        env["ConnectionStrings__Postgres"].ShouldContain($"Password={postgres["POSTGRES_PASSWORD"]};");
        env["ConnectionStrings__Postgres"].ShouldContain($"Database={postgres["POSTGRES_DB"]}");
        env["RabbitMq__Username"].ShouldBe(rabbit["RABBITMQ_DEFAULT_USER"]);
        env["RabbitMq__Password"].ShouldBe(rabbit["RABBITMQ_DEFAULT_PASS"]);
    }

    [Fact]
    public void Should_listen_where_the_port_is_published()
    {
        Environment("ingress")["ASPNETCORE_URLS"].ShouldEndWith(":8080");
    }

    [Theory]
    [InlineData("migrate")]
    [InlineData("worker")]
    [InlineData("ingress")]
    public void Should_build_from_dockerfiles_that_exist_and_publish_the_right_project(string service)
    {
        var build = (YamlMappingNode)Service(service)["build"];
        var dockerfile = Path.Combine(Root, build["dockerfile"].ToString());
        File.Exists(dockerfile).ShouldBeTrue(dockerfile);
        var text = File.ReadAllText(dockerfile);
        var project = service == "ingress" ? "AlgoSignal.Ingress" : "AlgoSignal.Worker";
        text.ShouldContain($"src/{project}/{project}.csproj");
        text.ShouldContain($"\"{project}.dll\"");
    }

    private static HashSet<string> KnownConfigurationKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal) { "ConnectionStrings:Postgres", "ASPNETCORE_URLS", "Seed:DemoWebhookToken" };
        foreach (var type in new[] { typeof(RabbitMqOptions), typeof(WebhookOptions), typeof(ApiOptions), typeof(TradingOptions), typeof(PaperBrokerOptions), typeof(AlgoSignal.Worker.Telemetry.WorkerEndpointOptions) })
        {
            var section = (string)type.GetField("Section", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                keys.Add($"{section}:{property.Name}");
            }
        }

        return keys;
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    private static Dictionary<string, string> Environment(string service) =>
        ((YamlMappingNode)Service(service)["environment"]).Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());

    private static YamlMappingNode LoadServices()
    {
        using var reader = new StreamReader(Path.Combine(Root, "docker-compose.yml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AlgoSignal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AlgoSignal.sln not found above " + AppContext.BaseDirectory);
    }
}
