using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using AlgoSignal.Domain.Alerts;
using AlgoSignal.Domain.Security;

var secretOption = new Option<string>("--secret") { Description = "An HMAC secret of Webhook:HmacSecrets (default: $ALGOSIGNAL_HMAC_SECRET)." };
var bodyOption = new Option<string>("--body") { Description = "The alert JSON; '@file' reads a file, '-' reads standard input.", Required = true };
var urlOption = new Option<string>("--url") { Description = "The ingress base URL.", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ALGOSIGNAL_URL") ?? "http://127.0.0.1:8080" };

var sign = new Command("sign", "Print the X-AlgoSignal-Signature header for a body, signed now.") { secretOption, bodyOption };
sign.SetAction(async (result, cancellationToken) =>
{
    var body = await ReadBodyAsync(result.GetValue(bodyOption)!, cancellationToken);
    var secret = SecretOrFail(result.GetValue(secretOption));
    Console.WriteLine($"{WebhookSignature.HeaderName}: {WebhookSignature.Header(secret, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), body)}");
    return 0;
});

var validate = new Command("validate", "Check an alert body the way the ingress will, and list every problem.") { bodyOption };
validate.SetAction(async (result, cancellationToken) =>
{
    var parsed = AlertParser.Parse(await ReadBodyAsync(result.GetValue(bodyOption)!, cancellationToken));
    foreach (var error in parsed.Errors)
    {
        Console.WriteLine($"{error.Field}: {error.Message}");
    }

    Console.WriteLine(parsed.IsValid ? "valid" : $"{parsed.Errors.Count} problem(s)");
    return parsed.IsValid ? 0 : 1;
});

var send = new Command("send", "Sign and POST an alert to /webhook; prints the answer.") { secretOption, bodyOption, urlOption };
send.SetAction(async (result, cancellationToken) =>
{
    var body = await ReadBodyAsync(result.GetValue(bodyOption)!, cancellationToken);
    var secret = SecretOrFail(result.GetValue(secretOption));
    using var client = new HttpClient { BaseAddress = new Uri(result.GetValue(urlOption)!) };
    using var content = new ByteArrayContent(body);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = content };
    request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Header(secret, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), body));
    using var response = await client.SendAsync(request, cancellationToken);
    Console.WriteLine($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
    return response.IsSuccessStatusCode ? 0 : 1;
});

var root = new RootCommand("algosignal: sign, validate and send test alerts.") { sign, validate, send };
return await root.Parse(args).InvokeAsync();

static string SecretOrFail(string? secret) =>
    !string.IsNullOrEmpty(secret) ? secret
    : Environment.GetEnvironmentVariable("ALGOSIGNAL_HMAC_SECRET") is { Length: > 0 } fromEnv ? fromEnv
    : throw new InvalidOperationException("No secret: pass --secret or set ALGOSIGNAL_HMAC_SECRET.");

static async Task<byte[]> ReadBodyAsync(string value, CancellationToken cancellationToken) => value switch
{
    "-" => Encoding.UTF8.GetBytes(await Console.In.ReadToEndAsync(cancellationToken)),
    ['@', .. var path] => await File.ReadAllBytesAsync(path, cancellationToken),
    _ => Encoding.UTF8.GetBytes(value),
};
