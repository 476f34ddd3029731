using System.Reflection;
using System.Text.Json;
using AlgoSignal.MarketData;
using Microsoft.AspNetCore.Http.Metadata;

namespace AlgoSignal.Ingress.MarketData;

/// <summary>200 with an <see cref="OhlcAnswer"/> body, written by <see cref="OhlcJson"/> straight to the response.</summary>
public sealed class OhlcResult(string symbol, string exchange, string timeframe, MarketDataAnswer answer) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter);
        OhlcJson.Write(writer, symbol, exchange, timeframe, answer);
        await writer.FlushAsync(httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(OhlcAnswer), ["application/json"]));
}
