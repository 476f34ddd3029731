using System.Collections.Concurrent;
using System.Text.Json;
using AlgoSignal.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.IntegrationTests.Notifications;

/// <summary>
/// The Telegram Bot API's <c>sendMessage</c> as its documentation describes it: <c>POST /bot&lt;token&gt;/sendMessage</c>;
/// a wrong token is 401 <c>Unauthorized</c>, an unknown chat 400 <c>Bad Request: chat not found</c>, an empty or
/// over-long text 400; success is <c>{"ok":true,"result":Message}</c>. It can answer flood control (429 with
/// <c>parameters.retry_after</c>) or be down (502, no JSON), and records when each message arrived.
/// </summary>
public sealed class FakeTelegram : IAsyncDisposable
{
    public const string Token = "123456789:AAFakeBotToken-0123456789abcdefXYZ";
    public const string ChatId = "-1001234567890";

    private readonly WebApplication _app;
    private int _messageId;

    private FakeTelegram(WebApplication app) => _app = app;

    public ConcurrentQueue<(DateTimeOffset At, string Text)> Messages { get; } = new();

    /// <summary>Requests refused with the description answered.</summary>
    public ConcurrentQueue<string> Refused { get; } = new();

    public volatile bool Down;

    /// <summary>How many of the next requests get a flood-control answer.</summary>
    public int FloodAnswers;

    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>When the last flood-control answer was given (a request before its retry_after ran out breaks the rule).</summary>
    public DateTimeOffset? LastFlood { get; private set; }

    public ConcurrentQueue<string> TooEarly { get; } = new();

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<FakeTelegram> StartAsync()
    {
        var builder = LocalServer.CreateBuilder();
        var app = builder.Build();
        var fake = new FakeTelegram(app);
        app.MapPost("/{bot}/{method}", fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = LocalServer.AddressOf(app);
        return fake;
    }

    private async Task<IResult> HandleAsync(string bot, string method, HttpRequest request)
    {
        if (Down)
        {
            return Results.Text("<html><body>502 Bad Gateway</body></html>", "text/html", statusCode: StatusCodes.Status502BadGateway);
        }

        var now = DateTimeOffset.UtcNow;
        if (LastFlood is { } flood && now < flood.AddSeconds(RetryAfterSeconds))
        {
            TooEarly.Enqueue($"{now:O} before {flood.AddSeconds(RetryAfterSeconds):O}");
        }

        if (bot != "bot" + Token)
        {
            return Error(401, "Unauthorized");
        }

        if (method != "sendMessage")
        {
            return Error(404, "Not Found");
        }

        if (Interlocked.Decrement(ref FloodAnswers) >= 0)
        {
            LastFlood = now;
            return Results.Json(new { ok = false, error_code = 429, description = $"Too Many Requests: retry after {RetryAfterSeconds}", parameters = new { retry_after = RetryAfterSeconds } }, statusCode: 429);
        }

        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return Error(400, "Bad Request: message text is empty");
        }

        JsonElement body;
        try
        {
            body = (await JsonDocument.ParseAsync(request.Body)).RootElement.Clone();
        }
        catch (JsonException)
        {
            return Error(400, "Bad Request: can't parse JSON object");
        }

        var chat = body.TryGetProperty("chat_id", out var c) ? c.ValueKind == JsonValueKind.Number ? c.GetRawText() : c.ValueKind == JsonValueKind.String ? c.GetString() : null : null;
        if (chat is null)
        {
            return Error(400, "Bad Request: chat_id is empty");
        }

        if (chat != ChatId)
        {
            return Error(400, "Bad Request: chat not found");
        }

        var text = body.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
        if (text.Trim().Length == 0)
        {
            return Error(400, "Bad Request: message text is empty");
        }

        if (text.Length > 4096)
        {
            return Error(400, "Bad Request: message is too long");
        }

        Messages.Enqueue((now, text));
        var id = Interlocked.Increment(ref _messageId);
        return Results.Json(new
        {
            ok = true,
            result = new { message_id = id, date = now.ToUnixTimeSeconds(), chat = new { id = long.Parse(ChatId, System.Globalization.CultureInfo.InvariantCulture), type = "supergroup", title = "Trading" }, text },
        });
    }

    private IResult Error(int code, string description)
    {
        Refused.Enqueue(description);
        return Results.Json(new { ok = false, error_code = code, description }, statusCode: code);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
