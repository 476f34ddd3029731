using System.CommandLine;
using AlgoSignal.Cli;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Security;

var secretOption = new Option<string>("--secret") { Description = $"An HMAC secret of Webhook:HmacSecrets (default: ${Connection.SecretVariable})." };
var apiKeyOption = new Option<string>("--api-key") { Description = $"An API key of Api:Keys (default: ${Connection.ApiKeyVariable})." };
var bodyOption = new Option<string>("--body") { Description = "The alert JSON; '@file' reads a file, '-' reads standard input.", Required = true };
var urlOption = new Option<string>("--url") { Description = $"The ingress base URL (default: ${Connection.UrlVariable}, else {Connection.DefaultUrl})." };
var timeoutOption = new Option<double>("--timeout") { Description = "Seconds to wait for an answer.", DefaultValueFactory = _ => 30 };
var alertIdArgument = new Argument<string>("alert-id") { Description = "AlgoSignal's alert id (the 202 answer's alert_id)." };

var sign = new Command("sign", "Print the X-AlgoSignal-Signature header for a body, signed now.") { secretOption, bodyOption };
sign.SetAction(async (result, cancellationToken) =>
{
    var secret = Connection.Secret(result.GetValue(secretOption));
    var body = await BodySource.ReadAsync(result.GetValue(bodyOption)!, cancellationToken);
    Console.WriteLine($"{WebhookSignature.HeaderName}: {WebhookSignature.Header(secret, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), body)}");
    return 0;
});

var validate = new Command("validate", "Check an alert body the way the ingress will, and list every problem.") { bodyOption };
validate.SetAction(async (result, cancellationToken) =>
{
    var parsed = AlertParser.Parse(await BodySource.ReadAsync(result.GetValue(bodyOption)!, cancellationToken));
    foreach (var error in parsed.Errors)
    {
        Console.WriteLine($"{error.Field}: {error.Message}");
    }

    Console.WriteLine(parsed.IsValid ? "valid" : $"{parsed.Errors.Count} problem(s)");
    return parsed.IsValid ? 0 : CliFailure.Failed;
});

var send = new Command("send", "Sign and POST an alert to /webhook; prints the status and the answer.") { secretOption, bodyOption, urlOption, timeoutOption };
send.SetAction(async (result, cancellationToken) =>
{
    var url = Connection.Url(result.GetValue(urlOption));
    var secret = Connection.Secret(result.GetValue(secretOption));
    var body = await BodySource.ReadAsync(result.GetValue(bodyOption)!, cancellationToken);
    using var client = new IngressClient(url, Timeout(result.GetValue(timeoutOption)));
    using var request = IngressClient.Json(HttpMethod.Post, "/webhook", body);
    request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Header(secret, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), body));
    var (status, answer) = await client.SendAsync(request, cancellationToken);
    Console.WriteLine($"{status} {answer}");
    return status is >= 200 and < 300 ? 0 : CliFailure.Failed;
});

var show = new Command("show", "Print an alert's whole story (GET /api/v1/alerts/{id}).") { alertIdArgument, urlOption, apiKeyOption, timeoutOption };
show.SetAction(async (result, cancellationToken) =>
{
    var url = Connection.Url(result.GetValue(urlOption));
    var key = Connection.ApiKey(result.GetValue(apiKeyOption));
    using var client = new IngressClient(url, Timeout(result.GetValue(timeoutOption)));
    using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/alerts/{Uri.EscapeDataString(result.GetValue(alertIdArgument)!)}");
    request.Headers.Add("X-Api-Key", key);
    var (status, answer) = await client.SendAsync(request, cancellationToken);
    Console.WriteLine(status is >= 200 and < 300 ? answer : $"{status} {answer}");
    return status is >= 200 and < 300 ? 0 : CliFailure.Failed;
});

var alerts = new Command("alerts", "Read alerts back.") { show };
var root = new RootCommand("algosignal: sign, validate and send test alerts, and read them back.") { sign, validate, send, alerts };

// '@' is this tool's file syntax (--body @message.json), so the parser's own response-file
// expansion, which would split the file into command-line words, is turned off.
var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
if (parse.Errors.Count > 0 && parse.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync($"algosignal: {error.Message}");
    }

    await Console.Error.WriteLineAsync($"Run '{CommandLine(parse.CommandResult.Command)} --help' for the options.");
    return CliFailure.Usage;
}

try
{
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (CliFailure failure)
{
    await Console.Error.WriteLineAsync($"algosignal: {failure.Message}");
    return failure.ExitCode;
}
catch (OperationCanceledException)
{
    await Console.Error.WriteLineAsync("algosignal: cancelled.");
    return CliFailure.Failed;
}
#pragma warning disable CA1031 // The last resort: a user gets one line, never a stack trace.
catch (Exception ex)
#pragma warning restore CA1031
{
    await Console.Error.WriteLineAsync($"algosignal: unexpected {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}");
    return CliFailure.Failed;
}

static TimeSpan Timeout(double seconds) =>
    seconds is > 0 and <= 3600 ? TimeSpan.FromSeconds(seconds) : throw new CliFailure("--timeout must be between 0 and 3600 seconds.", CliFailure.Usage);

static string CommandLine(Command command)
{
    var names = new List<string>();
    for (var current = command; current is not null and not RootCommand; current = current.Parents.OfType<Command>().FirstOrDefault())
    {
        names.Insert(0, current.Name);
    }

    return string.Join(' ', ["algosignal", .. names]);
}
