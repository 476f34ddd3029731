using System.Net.Http.Headers;
using System.Text;

namespace AlgoSignal.Brokers;

/// <summary>
/// Request bodies with their exact <c>Content-Length</c>. A body streamed chunked (as <c>JsonContent</c> does)
/// reaches a gateway or proxy that reads only <c>Content-Length</c> as empty, so every broker body is
/// serialized first and sent as bytes.
/// </summary>
public static class BrokerContent
{
    public static ByteArrayContent Json(string json) => Json(Encoding.UTF8.GetBytes(json));

    public static ByteArrayContent Json(byte[] utf8)
    {
        var content = new ByteArrayContent(utf8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        content.Headers.ContentLength = utf8.Length;
        return content;
    }
}
