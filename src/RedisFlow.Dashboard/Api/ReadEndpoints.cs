using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using RedisFlow.Dashboard.Data;

namespace RedisFlow.Dashboard.Api;

/// <summary>The JSON API behind each page (GET): overview, queues, one queue, locks, cache, executors, and the session.</summary>
internal static class ReadEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/session", (HttpContext context, IAntiforgery antiforgery, IOptions<DashboardOptions> options) =>
        {
            // The antiforgery pair: a cookie, and this request token the page sends back in a header on each action.
            var tokens = antiforgery.GetAndStoreTokens(context);
            context.Response.Headers.CacheControl = "no-store";
            return ApiResults.Ok(new
            {
                readOnly = options.Value.ReadOnly,
                tokenRequired = !string.IsNullOrEmpty(options.Value.Token),
                antiforgeryHeader = tokens.HeaderName,
                antiforgeryToken = tokens.RequestToken,
            });
        });

        api.MapGet("/overview", (HttpContext context, OverviewReader reader) =>
            ApiResults.RunAsync(context, async ct => ApiResults.Ok(await reader.ReadAsync(ct).ConfigureAwait(false))));

        api.MapGet("/queues", (HttpContext context, QueueSampler sampler) =>
            ApiResults.RunAsync(context, async ct => ApiResults.Ok(await sampler.CurrentAsync(ct).ConfigureAwait(false))));

        api.MapGet("/queue", (HttpContext context, QueueDetailReader reader) => ApiResults.RunAsync(context, async ct =>
        {
            if (ApiResults.Query(context, "name") is not { } name)
            {
                return ApiResults.Error(StatusCodes.Status400BadRequest, "Give the queue: ?name=<queue>.");
            }

            return await reader.ReadAsync(name, ct).ConfigureAwait(false) is { } detail
                ? ApiResults.Ok(detail)
                : ApiResults.Error(StatusCodes.Status404NotFound, $"No queue named {name}.");
        }));

        api.MapGet("/locks", (HttpContext context, LockReader reader) =>
            ApiResults.RunAsync(context, async ct => ApiResults.Ok(await reader.ReadAsync(ct).ConfigureAwait(false))));

        api.MapGet("/cache", (HttpContext context, CacheReader reader) =>
            ApiResults.RunAsync(context, async ct => ApiResults.Ok(await reader.ReadAsync(ct).ConfigureAwait(false))));

        api.MapGet("/executors", (HttpContext context, ExecutorReader reader) =>
            ApiResults.RunAsync(context, async ct => ApiResults.Ok(await reader.ReadAsync(ct).ConfigureAwait(false))));
    }
}
