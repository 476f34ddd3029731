using AlgoSignal.Ingress;

var app = IngressApp.Build(IngressApp.CreateBuilder(args));
await app.RunAsync();

/// <summary>The entry point, public so tests can host it.</summary>
public partial class Program;
