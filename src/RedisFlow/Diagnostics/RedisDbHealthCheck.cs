using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace RedisFlow.Diagnostics;

/// <summary>An ASP.NET Core / generic-host health check that runs <see cref="RedisDb.HealthAsync"/>.</summary>
public sealed class RedisDbHealthCheck(RedisDb db) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.HealthAsync(cancellationToken).ConfigureAwait(false)
            ? HealthCheckResult.Healthy("Redis answered PING and a SET/GET round trip.")
            : new HealthCheckResult(context?.Registration.FailureStatus ?? HealthStatus.Unhealthy, "Redis did not answer PING or the SET/GET round trip.");
}

/// <summary>Adds <see cref="RedisDbHealthCheck"/> to a health-check builder.</summary>
public static class RedisDbHealthCheckBuilderExtensions
{
    /// <summary>Registers the Redis health check under <paramref name="name"/>.</summary>
    public static IHealthChecksBuilder AddRedisDb(this IHealthChecksBuilder builder, string name = "redis")
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<RedisDbHealthCheck>(name);
    }
}
