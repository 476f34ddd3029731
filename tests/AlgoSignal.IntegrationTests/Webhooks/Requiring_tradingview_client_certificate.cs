using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AlgoSignal.IntegrationTests.Infrastructure;
using Shouldly;

namespace AlgoSignal.IntegrationTests.Webhooks;

[Collection(AlgoSignalCollection.Name)]
public sealed class Requiring_tradingview_client_certificate(AlgoSignalFixture fixture) : IDisposable
{
    private readonly string _serverPfx = Path.Combine(Path.GetTempPath(), $"algosignal-test-{Guid.NewGuid():N}.pfx");

    [Fact]
    public async Task Should_serve_https_and_refuse_the_tradingview_route_without_tradingviews_certificate()
    {
        using (var server = SelfSigned("CN=localhost", serverAuth: true))
        {
            await File.WriteAllBytesAsync(_serverPfx, server.Export(X509ContentType.Pfx, "pw"));
        }

        await using var ingress = await fixture.StartIngressAsync(new Dictionary<string, string>
        {
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = _serverPfx,
            ["Kestrel:Endpoints:Https:Certificate:Password"] = "pw",
            ["Webhook:RequireTradingViewClientCertificate"] = "true",
        });
        ingress.BaseAddress.Scheme.ShouldBe("https");

        const string body = """{"action":"buy","symbol":"TLS","price":1}""";
        (await PostAsync(ingress.BaseAddress, $"/webhook/tradingview/{AlgoSignalFixture.DemoToken}", body, clientCertificate: null)).ShouldBe(401);

        using var impostor = SelfSigned("CN=Someone Else, O=Nobody", serverAuth: false);
        (await PostAsync(ingress.BaseAddress, $"/webhook/tradingview/{AlgoSignalFixture.DemoToken}", body, impostor)).ShouldBe(401);

        // Right subject, but not issued by a certificate authority this machine trusts.
        using var lookalike = SelfSigned("CN=TradingView Webhooks, O=\"TradingView, Inc.\"", serverAuth: false);
        (await PostAsync(ingress.BaseAddress, $"/webhook/tradingview/{AlgoSignalFixture.DemoToken}", body, lookalike)).ShouldBe(401);

        // The signed route needs no client certificate, over the same HTTPS endpoint.
        var signedBody = """{"strategy":"demo","action":"buy","symbol":"TLS","price":1}""";
        var signature = AlgoSignal.Domain.Security.WebhookSignature.Header(AlgoSignalFixture.HmacSecret, TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(signedBody));
        (await PostAsync(ingress.BaseAddress, "/webhook", signedBody, null, signature)).ShouldBe(202);
    }

    public void Dispose() => File.Delete(_serverPfx);

    private static async Task<int> PostAsync(Uri baseAddress, string path, string body, X509Certificate2? clientCertificate, string? signature = null)
    {
        using var handler = new HttpClientHandler
        {
            ClientCertificateOptions = ClientCertificateOption.Manual,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        };
        if (clientCertificate is not null)
        {
            handler.ClientCertificates.Add(clientCertificate);
        }

        using var client = new HttpClient(handler) { BaseAddress = baseAddress };
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (signature is not null)
        {
            request.Headers.Add(AlgoSignal.Domain.Security.WebhookSignature.HeaderName, signature);
        }

        using var response = await client.SendAsync(request);
        return (int)response.StatusCode;
    }

    private static X509Certificate2 SelfSigned(string subject, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }

        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx, "pw"), "pw", X509KeyStorageFlags.Exportable);
    }
}
