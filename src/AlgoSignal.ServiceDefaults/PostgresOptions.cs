namespace AlgoSignal.ServiceDefaults;

public static class PostgresOptions
{
    public const string ConnectionStringKey = "ConnectionStrings:Postgres";

    /// <summary>The connection string, or a start-up failure that names the missing key.</summary>
    public static string GetConnectionString(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var value = configuration[ConnectionStringKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(
                ConnectionStringKey,
                typeof(string),
                [$"{ConnectionStringKey} is missing: set it in appsettings.json or the environment variable ConnectionStrings__Postgres (e.g. Host=127.0.0.1;Username=algosignal;Password=…;Database=algosignal)."]);
        }

        return value;
    }
}
