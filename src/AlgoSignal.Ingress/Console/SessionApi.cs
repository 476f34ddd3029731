using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using AlgoSignal.Contracts;
using AlgoSignal.Ingress.Api;
using AlgoSignal.Ingress.Security;
using AlgoSignal.Persistence;
using MassTransit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AlgoSignal.Ingress.Console;

/// <summary>
/// <c>/api/v1/session</c>: sign in with an API key (POST), read the session and its antiforgery token
/// (GET), sign out (DELETE, with the token). A wrong key counts against the same per-address limit as a
/// wrong <c>X-Api-Key</c>.
/// </summary>
public static partial class SessionApi
{
    public const string Route = "/api/v1/session";

    private const string Example = "{\"api_key\":\"…\"}";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 4 };

    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Route).WithTags("Console");
        group.MapPost("/", SignInAsync).WithName("SignIn").Produces<SessionAnswer>().WithJsonBody<SessionRequest>("application/json")
            .WithDescription("Starts a browser session: a valid API key gives the HttpOnly, SameSite=Strict cookie algosignal_session. The key is not kept in the browser.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/", GetAsync).WithName("GetSession").Produces<SessionAnswer>()
            .WithDescription("The session of the cookie, with the antiforgery_token every change made with it must carry in X-CSRF-TOKEN.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapDelete("/", SignOutAsync).WithName("SignOut").Produces(StatusCodes.Status204NoContent)
            .WithDescription("Ends the session of the cookie (needs X-CSRF-TOKEN).")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    public static async Task<IResult> SignInAsync(
        HttpContext http, ApiKeyGuard guard, ConsoleSessions sessions, IOptions<ConsoleOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (document, invalid, problem) = await JsonBody.ReadAsync(http.Request, DocumentOptions, Example, cancellationToken);
        if (document is null)
        {
            return invalid is not null ? invalid : problem!;
        }

        string key;
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("api_key", out var value) || value.ValueKind != JsonValueKind.String)
            {
                return JsonBody.Invalid("api_key", $"\"api_key\" is required: one of the keys in Api:Keys, e.g. {Example}.");
            }

            if (root.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n != "api_key") is { } extra)
            {
                var shown = extra.Length > 64 ? extra[..64] + "…" : extra;
                return JsonBody.Invalid(shown, $"\"{shown}\" is not a field of a sign-in; send {Example}.");
            }

            key = value.GetString()!;
        }

        var check = guard.Check(http, key);
        if (!check.IsValid)
        {
            return ApiKeyFilter.Refusal(http, check.Status == ApiKeyStatus.Missing ? check with { Status = ApiKeyStatus.Invalid } : check, "api_key");
        }

        var expiresAt = time.GetUtcNow().AddHours(options.Value.SessionHours);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ConsoleSessions.SessionIdClaim, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))),
                new Claim(ConsoleSessions.KeyClaim, ConsoleSessions.Fingerprint(key)),
            ],
            ConsoleSessions.Scheme));
        await http.SignInAsync(ConsoleSessions.Scheme, principal, new AuthenticationProperties { IsPersistent = true, ExpiresUtc = expiresAt, AllowRefresh = false });
        http.User = principal;
        return TypedResults.Ok(new SessionAnswer(true, expiresAt, sessions.IssueAntiforgeryToken(http)));
    }

    public static async Task<IResult> GetAsync(HttpContext http, ConsoleSessions sessions)
    {
        var result = await Read(http);
        if (result is null)
        {
            return NotSignedIn();
        }

        return TypedResults.Ok(new SessionAnswer(true, result.Value.ExpiresAt, sessions.IssueAntiforgeryToken(http)));
    }

    public static async Task<IResult> SignOutAsync(
        HttpContext http, ConsoleSessions sessions, SessionRevocations revocations, AlgoSignalDbContext db, IBus bus, TimeProvider time, ILogger<SessionRevocations> logger)
    {
        var result = await Read(http);
        if (result is null)
        {
            return NotSignedIn();
        }

        if (!await sessions.IsAntiforgeryValidAsync(http))
        {
            return ConsoleSessions.AntiforgeryRefusal();
        }

        // Stored first (PostgreSQL away: 503, and the session stays as it was, to sign out again), so that an
        // ingress started later refuses the cookie too; then this process and the running ones hear of it.
        await StoredSessionRevocations.StoreAsync(db, result.Value.SessionId, result.Value.ExpiresAt, http.RequestAborted);
        revocations.Revoke(result.Value.SessionId, result.Value.ExpiresAt);
        await AnnounceAsync(bus, new ConsoleSessionEnded(result.Value.SessionId, result.Value.ExpiresAt), time, logger, http.RequestAborted);
        await http.SignOutAsync(ConsoleSessions.Scheme);
        http.Response.Cookies.Delete(ConsoleSessions.AntiforgeryCookieName, new CookieOptions { Path = "/", HttpOnly = true, SameSite = SameSiteMode.Strict });
        return TypedResults.NoContent();
    }

    private static async Task<(string SessionId, DateTimeOffset ExpiresAt)?> Read(HttpContext http)
    {
        if (!http.Request.Cookies.ContainsKey(ConsoleSessions.CookieName))
        {
            return null;
        }

        var result = await http.AuthenticateAsync(ConsoleSessions.Scheme);
        if (!result.Succeeded || result.Properties.ExpiresUtc is not { } expiresAt || result.Principal.FindFirstValue(ConsoleSessions.SessionIdClaim) is not { } id)
        {
            return null;
        }

        http.User = result.Principal;
        return (id, expiresAt);
    }

    /// <summary>Tells the other ingress processes; when RabbitMQ cannot take it in time, they refuse the cookie at its expiry.</summary>
    private static async Task AnnounceAsync(IBus bus, ConsoleSessionEnded ended, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(KillSwitchAnnouncer.Budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            await bus.Publish(ended, linked.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogNotAnnounced(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A sign-out was not announced to the other ingress processes ({ErrorType}); they refuse the cookie at its expiry")]
    private static partial void LogNotAnnounced(ILogger logger, string errorType);

    private static IResult NotSignedIn() =>
        TypedResults.Problem(title: "Not signed in", detail: "No valid session cookie: sign in with POST /api/v1/session {\"api_key\":\"…\"} (the console's /signin page).", statusCode: StatusCodes.Status401Unauthorized);
}
