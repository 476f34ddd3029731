using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Console;

/// <summary>
/// What a browser does with the console's session, without a browser: a cookie jar, no <c>X-Api-Key</c>,
/// and the antiforgery token read from <c>GET /api/v1/session</c> sent only when asked to.
/// </summary>
public sealed class ConsoleBrowser : IDisposable
{
    public const string SessionCookie = "algosignal_session";
    public const string CsrfHeader = "X-CSRF-TOKEN";

    private readonly HttpClientHandler _handler;

    public ConsoleBrowser(Uri baseAddress)
    {
        _handler = new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
        Http = new HttpClient(_handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies => _handler.CookieContainer;

    public string? Token { get; private set; }

    /// <summary>Signs in and keeps the session cookie; answers the sign-in response (disposed by the caller).</summary>
    public Task<HttpResponseMessage> PostSignInAsync(string key) =>
        Http.PostAsync("/api/v1/session", new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["api_key"] = key }), Encoding.UTF8, "application/json"));

    public async Task SignInAsync(string key)
    {
        using var response = await PostSignInAsync(key);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        await RefreshTokenAsync();
    }

    public async Task RefreshTokenAsync()
    {
        var session = await Http.GetFromJsonAsync<JsonElement>("/api/v1/session");
        Token = session.GetProperty("antiforgery_token").GetString().ShouldNotBeNull();
    }

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, string? json = null, bool withToken = true)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (withToken && Token is not null)
        {
            request.Headers.Add(CsrfHeader, Token);
        }

        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public Cookie? Cookie(string name) => Cookies.GetAllCookies().FirstOrDefault(c => c.Name == name);

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }
}
