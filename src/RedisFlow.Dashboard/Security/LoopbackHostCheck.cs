using Microsoft.AspNetCore.Http;

namespace RedisFlow.Dashboard.Security;

/// <summary>
/// For a dashboard listening on loopback: answers 400 unless the Host header is <c>localhost</c>, <c>127.0.0.1</c> or
/// <c>[::1]</c> with the port the request came in on. A page on another site whose name was rebound to 127.0.0.1
/// (DNS rebinding) sends its own name as Host, so it cannot read the dashboard.
/// </summary>
internal sealed class LoopbackHostCheck(RequestDelegate next)
{
    private static readonly string[] Names = ["localhost", "127.0.0.1", "[::1]"];

    public Task InvokeAsync(HttpContext context)
    {
        if (IsAllowed(context.Request.Host, context.Connection.LocalPort, context.Request.IsHttps))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("Bad Host header: this dashboard answers only to localhost, 127.0.0.1 or [::1] with its port.");
    }

    internal static bool IsAllowed(HostString host, int localPort, bool https)
    {
        // A browser leaves the port out only when it is the scheme's default.
        if (!host.HasValue || (host.Port ?? (https ? 443 : 80)) != localPort)
        {
            return false;
        }

        var name = host.Host;
        return Array.Exists(Names, n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
    }
}
