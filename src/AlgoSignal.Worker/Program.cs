using AlgoSignal.Worker;

using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};

if (args.Length > 0 && args[0] == "migrate")
{
    try
    {
        return await MigrateCommand.RunAsync(args[1..], stopping.Token);
    }
    catch (Exception ex) when (ex is Npgsql.NpgsqlException or Microsoft.Extensions.Options.OptionsValidationException or InvalidOperationException)
    {
        await Console.Error.WriteLineAsync($"migrate failed: {ex.Message}");
        return 1;
    }
}

using var host = WorkerHost.CreateBuilder(args).Build();
await host.RunAsync(stopping.Token);
return 0;
