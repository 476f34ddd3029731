using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace AlgoSignal.IntegrationTests.Notifications;

/// <summary>
/// An SMTP server on a loopback port (the maintained <c>SmtpServer</c> library, which speaks EHLO, AUTH PLAIN/LOGIN,
/// MAIL FROM, RCPT TO, DATA and QUIT as RFC 5321 asks) that requires authentication with one user and password and
/// keeps each message it accepted, parsed by MimeKit. It can be taken down (stopped) and started again on its port.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    public const string User = "alerts@example.com";
    public const string Password = "smtp-password-0123456789";

    private SmtpServer.SmtpServer? _server;
    private CancellationTokenSource? _stop;
    private Task? _running;

    private FakeSmtpServer(int port) => Port = port;

    public int Port { get; }

    public ConcurrentQueue<(string From, IReadOnlyList<string> To, MimeMessage Message)> Messages { get; } = new();

    public ConcurrentQueue<string> FailedLogins { get; } = new();

    public static async Task<FakeSmtpServer> StartAsync()
    {
        // The library takes a port number, not 0: a free one is found by asking the OS for one first.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var fake = new FakeSmtpServer(port);
        await fake.UpAsync();
        return fake;
    }

    public async Task UpAsync()
    {
        var options = new SmtpServerOptionsBuilder()
            .ServerName("smtp.example.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).AuthenticationRequired(true).AllowUnsecureAuthentication(true))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Authenticator(this));
        _server = new SmtpServer.SmtpServer(options, services);
        _stop = new CancellationTokenSource();
        _running = _server.StartAsync(_stop.Token);
        for (var i = 0; i < 50; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }
    }

    public async Task DownAsync()
    {
        if (_server is null)
        {
            return;
        }

        _server.Shutdown();
        await _stop!.CancelAsync();
        try
        {
            await _running!;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _server = null;
    }

    public async ValueTask DisposeAsync() => await DownAsync();

    private sealed class Store(FakeSmtpServer fake) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            await using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            fake.Messages.Enqueue((transaction.From.AsAddress(), transaction.To.Select(t => t.AsAddress()).ToList(), message));
            return SmtpResponse.Ok;
        }
    }

    private sealed class Authenticator(FakeSmtpServer fake) : IUserAuthenticator
    {
        public Task<bool> AuthenticateAsync(ISessionContext context, string user, string password, CancellationToken cancellationToken)
        {
            var ok = user == User && password == Password;
            if (!ok)
            {
                fake.FailedLogins.Enqueue(user);
            }

            return Task.FromResult(ok);
        }
    }
}
