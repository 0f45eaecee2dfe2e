using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace RedisFlow.Dashboard;

/// <summary>The pages, styles and script compiled into the assembly (wwwroot), served with strict browser headers.</summary>
internal static class EmbeddedAssets
{
    private static readonly ConcurrentDictionary<string, byte[]?> Cache = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    /// <summary>A static asset by file name (no folders), or 404.</summary>
    public static IResult Asset(string file)
    {
        if (!ContentTypes.TryGetValue(Path.GetExtension(file), out var type) || Read(file) is not { } bytes)
        {
            return Results.NotFound();
        }

        return new AssetResult(bytes, type, StatusCodes.Status200OK);
    }

    /// <summary>An HTML page with <c>{{NAME}}</c> placeholders replaced by HTML-escaped values.</summary>
    public static IResult Page(string file, int status, params (string Placeholder, string Value)[] values)
    {
        var text = Encoding.UTF8.GetString(Read(file) ?? throw new InvalidOperationException($"The embedded page {file} is missing."));
        foreach (var (placeholder, value) in values)
        {
            text = text.Replace(placeholder, System.Net.WebUtility.HtmlEncode(value), StringComparison.Ordinal);
        }

        return new AssetResult(Encoding.UTF8.GetBytes(text), ContentTypes[".html"], status);
    }

    private static byte[]? Read(string file) => Cache.GetOrAdd(file, static name =>
    {
        using var stream = typeof(EmbeddedAssets).Assembly.GetManifestResourceStream("RedisFlow.Dashboard.wwwroot." + name);
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    private sealed class AssetResult(byte[] bytes, string contentType, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = contentType;
            response.ContentLength = bytes.Length;
            SecurityHeaders(response);
            return response.Body.WriteAsync(bytes, httpContext.RequestAborted).AsTask();
        }
    }

    /// <summary>Only our own script and styles run; no framing (clickjacking); no sniffing; no referrer to other sites.</summary>
    public static void SecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
    }
}
