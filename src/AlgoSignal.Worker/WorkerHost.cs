using AlgoSignal.Brokers.Paper;
using AlgoSignal.ServiceDefaults;
using AlgoSignal.Worker.Consumers;
using AlgoSignal.Worker.Pipeline;

namespace AlgoSignal.Worker;

/// <summary>Composes the worker process: consumers, pipeline services, options.</summary>
public static class WorkerHost
{
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ApplicationName = "AlgoSignal.Worker", ContentRootPath = AppContext.BaseDirectory });
        builder.AddAlgoSignalDefaults(bus =>
        {
            bus.AddConsumer<AlertReceivedConsumer>(typeof(AlertReceivedConsumerDefinition));
            bus.AddConsumer<SubmitAlertConsumer>(typeof(SubmitAlertConsumerDefinition));
        });
        builder.Services.AddOptions<TradingOptions>().BindConfiguration(TradingOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<TradingOptions>().Configure(o =>
        {
            if (builder.Configuration["Webhook:DedupeWindow"] is { Length: > 0 } window)
            {
                o.DedupeWindow = TimeSpan.Parse(window, System.Globalization.CultureInfo.InvariantCulture);
            }
        });
        builder.Services.AddOptions<PaperBrokerOptions>().BindConfiguration(PaperBrokerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<AlertProcessor>();
        builder.Services.AddScoped<PaperExecution>();
        return builder;
    }
}
