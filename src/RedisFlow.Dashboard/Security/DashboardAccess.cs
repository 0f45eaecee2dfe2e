using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RedisFlow.Dashboard.Security;

/// <summary>
/// The gate in front of every page, asset and API call of the dashboard:
/// <list type="number">
/// <item>with <see cref="DashboardOptions.Token"/>: a bearer token or the login's session cookie, else 401;</item>
/// <item><see cref="DashboardOptions.Authorization"/> when given, else (no token either) loopback callers only, else 401;</item>
/// <item>actions (POST): 403 in read-only mode; from a browser session (not a bearer token) a valid antiforgery
/// token, else 400.</item>
/// </list>
/// </summary>
internal sealed class DashboardAccess(string basePath) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value;
        var bearer = false;
        if (!string.IsNullOrEmpty(options.Token))
        {
            bearer = TokenCheck.Matches(TokenCheck.Bearer(http.Request.Headers.Authorization), options.Token);
            if (!bearer && !SessionCookie.IsValid(http, options.Token))
            {
                return Unauthorized(http, login: true);
            }
        }

        var allowed = options.Authorization is { } hook
            ? hook(http)
            : !string.IsNullOrEmpty(options.Token) || IsLoopback(http.Connection.RemoteIpAddress);
        if (!allowed)
        {
            return Unauthorized(http, login: false);
        }

        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (options.ReadOnly)
            {
                return Results.Json(new { error = "The dashboard is read-only (Dashboard:ReadOnly)." }, statusCode: StatusCodes.Status403Forbidden);
            }

            // A bearer token is never sent by a browser on its own, so only cookie sessions can be forged from another page.
            if (!bearer)
            {
                try
                {
                    await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http).ConfigureAwait(false);
                }
                catch (AntiforgeryValidationException)
                {
                    return Results.Json(new { error = "Missing or invalid antiforgery token: reload the page." }, statusCode: StatusCodes.Status400BadRequest);
                }
            }
        }

        return await next(context).ConfigureAwait(false);
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    private IResult Unauthorized(HttpContext http, bool login)
    {
        http.Response.Headers.WWWAuthenticate = "Bearer";
        var wantsPage = HttpMethods.IsGet(http.Request.Method) && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        if (login && wantsPage)
        {
            // The browser gets the login page with the 401, so the address it asked for stays in its bar.
            return EmbeddedAssets.Page("login.html", StatusCodes.Status401Unauthorized, ("{{LOGIN}}", basePath + "/login"), ("{{BASE}}", basePath), ("{{ERROR}}", string.Empty));
        }

        return Results.Json(new { error = login ? "A token is required: Authorization: Bearer <token>, or sign in." : "Not allowed: this dashboard answers only authorized (by default, local) requests." },
            statusCode: StatusCodes.Status401Unauthorized);
    }
}
