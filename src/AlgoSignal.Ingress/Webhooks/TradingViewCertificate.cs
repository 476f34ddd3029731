using System.Security.Cryptography.X509Certificates;

namespace AlgoSignal.Ingress.Webhooks;

/// <summary>
/// TradingView's optional TLS client certificate: subject <c>O=TradingView, Inc., CN=TradingView Webhooks</c>
/// (TradingView help centre, "webhook authentication"), with a chain the machine trusts.
/// </summary>
public static class TradingViewCertificate
{
    public static bool IsPresented(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        var subject = certificate.SubjectName.Name;
        if (!subject.Contains("CN=TradingView Webhooks", StringComparison.Ordinal) || !subject.Contains("O=\"TradingView, Inc.\"", StringComparison.Ordinal))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(certificate);
    }
}
