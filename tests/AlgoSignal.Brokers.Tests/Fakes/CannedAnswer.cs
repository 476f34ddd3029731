using System.Text;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.Brokers.Tests.Fakes;

/// <summary>An answer a broker fake gives once instead of its own: what a proxy or a failing gateway sends.</summary>
public sealed record CannedAnswer(int Status, string ContentType, string Body)
{
    public IResult ToResult() => Results.Text(Body, ContentType, Encoding.UTF8, Status);
}
