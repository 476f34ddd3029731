using System.Collections.Concurrent;
using System.IO.Compression;
using AlgoSignal.IntegrationTests.Infrastructure;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AlgoSignal.IntegrationTests.Telemetry;

/// <summary>
/// An OpenTelemetry collector's OTLP/HTTP trace endpoint: <c>POST /v1/traces</c> with a protobuf
/// <c>ExportTraceServiceRequest</c> (anything else is refused as a collector would: 415 or 404). It decodes the
/// fields a test reads — each span's service, trace and span ids, parent, name and attributes — with Google.Protobuf's
/// wire reader; the generated OTLP classes are not served as a package, and these few field numbers of
/// opentelemetry/proto/trace/v1/trace.proto are all the test needs.
/// </summary>
public sealed class FakeOtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOtlpReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();

    /// <summary>Every request body as received, to search for what must never be exported.</summary>
    public ConcurrentQueue<byte[]> Bodies { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<FakeOtlpReceiver> StartAsync()
    {
        var app = LocalServer.CreateBuilder().Build();
        var fake = new FakeOtlpReceiver(app);
        app.MapPost("/v1/traces", fake.ReceiveAsync);
        await app.StartAsync();
        fake.BaseAddress = LocalServer.AddressOf(app);
        return fake;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        if (request.ContentType != "application/x-protobuf")
        {
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        using var buffer = new MemoryStream();
        await (request.Headers.ContentEncoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body).CopyToAsync(buffer);
        var body = buffer.ToArray();
        Bodies.Enqueue(body);
        foreach (var resourceSpans in Repeated(body, 1))
        {
            var service = Repeated(resourceSpans, 1).SelectMany(resource => Attributes(resource, 1)).FirstOrDefault(a => a.Key == "service.name").Value;
            foreach (var span in Repeated(resourceSpans, 2).SelectMany(scope => Repeated(scope, 2)))
            {
                Spans.Enqueue(new ReceivedSpan(
                    service ?? "",
                    Convert.ToHexStringLower(Single(span, 1)),
                    Convert.ToHexStringLower(Single(span, 2)),
                    Convert.ToHexStringLower(Single(span, 4)),
                    System.Text.Encoding.UTF8.GetString(Single(span, 5)),
                    Attributes(span, 9).ToDictionary(a => a.Key, a => a.Value)));
            }
        }

        // An empty ExportTraceServiceResponse: everything accepted.
        return Results.Bytes([], "application/x-protobuf");
    }

    /// <summary>The length-delimited values of one field of a message.</summary>
    private static List<byte[]> Repeated(byte[] message, int field)
    {
        var values = new List<byte[]>();
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                values.Add(input.ReadBytes().ToByteArray());
            }
            else
            {
                input.SkipLastField();
            }
        }

        return values;
    }

    private static byte[] Single(byte[] message, int field) => Repeated(message, field).LastOrDefault() ?? [];

    /// <summary>KeyValue attributes (key = 1, value = 2: AnyValue with string = 1, bool = 2, int = 3, double = 4) as text.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Attributes(byte[] message, int field)
    {
        foreach (var pair in Repeated(message, field))
        {
            var key = System.Text.Encoding.UTF8.GetString(Single(pair, 1));
            var any = new CodedInputStream(Single(pair, 2));
            var value = "";
            uint tag;
            while ((tag = any.ReadTag()) != 0)
            {
                value = WireFormat.GetTagFieldNumber(tag) switch
                {
                    1 => any.ReadString(),
                    2 => any.ReadBool() ? "true" : "false",
                    3 => any.ReadInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    4 => any.ReadDouble().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => Skip(any),
                };
            }

            yield return new(key, value);
        }
    }

    private static string Skip(CodedInputStream input)
    {
        input.SkipLastField();
        return "";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedSpan(string Service, string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);
