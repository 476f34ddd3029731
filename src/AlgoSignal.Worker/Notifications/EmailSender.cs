using AlgoSignal.Domain.Notifications;
using AlgoSignal.ServiceDefaults.Notifications;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace AlgoSignal.Worker.Notifications;

/// <summary>Sends a plain-text mail per message with MailKit: TLS unless <c>Notifications:Email:UseTls</c> is false, authenticated when a username is set.</summary>
public sealed class EmailSender(IOptions<NotificationOptions> options) : INotificationSender
{
    public string Kind => NotificationChannelKinds.Email;

    public async Task<SendResult> SendAsync(string channel, OutgoingNotification message, CancellationToken cancellationToken)
    {
        var email = options.Value.Email;
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(email.From!));
        foreach (var to in email.To)
        {
            mail.To.Add(MailboxAddress.Parse(to));
        }

        var firstLine = message.Text.Split('\n', 2)[0];
        mail.Subject = "AlgoSignal " + message.Event + ": " + (firstLine.Length > 120 ? firstLine[..119] + "…" : firstLine);
        mail.Body = new TextPart("plain") { Text = message.Text + "\n\n" + message.Data + "\n" };

        using var smtp = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(options.Value.TimeoutSeconds).TotalMilliseconds };
        var security = !email.UseTls ? SecureSocketOptions.None : email.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        try
        {
            await smtp.ConnectAsync(email.Host!, email.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(email.Username))
            {
                await smtp.AuthenticateAsync(email.Username, email.Password ?? "", cancellationToken);
            }

            await smtp.SendAsync(mail, cancellationToken);
            await smtp.DisconnectAsync(quit: true, cancellationToken);
            return SendResult.Ok;
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or AuthenticationException or SslHandshakeException or IOException or System.Net.Sockets.SocketException)
        {
            return SendResult.Failed($"SMTP: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
