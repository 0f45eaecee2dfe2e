using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RedisFlow.Dashboard.Api;
using RedisFlow.Dashboard.Security;

namespace RedisFlow.Dashboard;

/// <summary>Mounts the dashboard in an ASP.NET Core app: <c>app.MapRedisFlowDashboard("/redisflow")</c>.</summary>
public static class DashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the dashboard's pages, assets and JSON API under <paramref name="prefix"/>. Needs
    /// <see cref="DashboardServiceCollectionExtensions.AddRedisFlowDashboard(Microsoft.Extensions.DependencyInjection.IServiceCollection, Action{DashboardOptions}?)"/>
    /// and a <see cref="RedisDb"/> service. By default only loopback callers are let in; set
    /// <see cref="DashboardOptions.Authorization"/> or <see cref="DashboardOptions.Token"/> to open it to others.
    /// </summary>
    /// <returns>The route group, for more conventions (for example <c>RequireAuthorization</c>).</returns>
    public static RouteGroupBuilder MapRedisFlowDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/redisflow")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        return Map(endpoints, prefix, gated: null);
    }

    /// <summary>Maps the dashboard, and <paramref name="gated"/>'s endpoints behind the same access filter (the stand-alone host's <c>/metrics</c>).</summary>
    internal static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string prefix, Action<IEndpointRouteBuilder>? gated)
    {
        var path = prefix.Trim('/').Length == 0 ? string.Empty : "/" + prefix.Trim('/');
        var root = endpoints.MapGroup(path);
        LoginEndpoints.Map(root, path);

        // The styles, scripts and icon are the same in every install and hold no data: served without the gate, so
        // the login page has its styles.
        root.MapGet("/assets/{file}", (string file) => EmbeddedAssets.Asset(file));

        var dashboard = root.MapGroup(string.Empty).AddEndpointFilter(new DashboardAccess(path));
        dashboard.MapGet("/", (HttpContext context) =>
        {
            // Routing ignores a trailing slash, but the page's relative links (assets/, api/) need it.
            var requested = context.Request.PathBase + context.Request.Path;
            return requested.Value?.EndsWith('/') == true
                ? EmbeddedAssets.Page("index.html", StatusCodes.Status200OK)
                : Results.Redirect(requested + "/" + context.Request.QueryString);
        });
        var api = dashboard.MapGroup("/api");
        ReadEndpoints.Map(api);
        ActionEndpoints.Map(api);
        gated?.Invoke(dashboard);
        return root;
    }
}
