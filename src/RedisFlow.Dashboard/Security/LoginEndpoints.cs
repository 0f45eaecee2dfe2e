using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace RedisFlow.Dashboard.Security;

/// <summary>
/// The login page: posting the right token sets the session cookie (<see cref="SessionCookie"/>); a browser then needs
/// no Authorization header. Without a configured token there is nothing to log in to.
/// </summary>
internal static class LoginEndpoints
{
    public static void Map(IEndpointRouteBuilder root, string path)
    {
        var login = path + "/login";
        root.MapGet("/login", (IOptions<DashboardOptions> options) => string.IsNullOrEmpty(options.Value.Token)
            ? Results.Redirect(path + "/")
            : EmbeddedAssets.Page("login.html", StatusCodes.Status200OK, ("{{LOGIN}}", login), ("{{BASE}}", path), ("{{ERROR}}", string.Empty)));

        root.MapPost("/login", async (HttpContext context, IOptions<DashboardOptions> options) =>
        {
            var token = options.Value.Token;
            if (string.IsNullOrEmpty(token))
            {
                return Results.Redirect(path + "/");
            }

            var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false) : null;
            if (!TokenCheck.Matches(form?["token"].ToString(), token))
            {
                return EmbeddedAssets.Page("login.html", StatusCodes.Status401Unauthorized, ("{{LOGIN}}", login), ("{{BASE}}", path), ("{{ERROR}}", "That token is not the dashboard's token."));
            }

            SessionCookie.Issue(context, token, options.Value.SessionLifetime, context.Request.PathBase.Value + path is { Length: > 0 } cookiePath ? cookiePath : "/");
            return Results.Redirect(context.Request.PathBase + path + "/", permanent: false, preserveMethod: false);
        }).DisableAntiforgery();
    }
}
