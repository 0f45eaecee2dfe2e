using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RedisFlow.Dashboard.Data;

namespace RedisFlow.Dashboard;

/// <summary>Registers the dashboard's services (then map it with <see cref="DashboardEndpointRouteBuilderExtensions.MapRedisFlowDashboard"/>).</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Registers the dashboard with options from code. Needs a <see cref="RedisDb"/> service (<c>AddRedisDb</c>).
    /// Starts a background sampler of the queues (every <see cref="DashboardOptions.SampleInterval"/>).
    /// </summary>
    public static IServiceCollection AddRedisFlowDashboard(this IServiceCollection services, Action<DashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<DashboardOptions>();
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return AddCore(services);
    }

    /// <summary>As <see cref="AddRedisFlowDashboard(IServiceCollection, Action{DashboardOptions}?)"/>, binding the <c>Dashboard</c> section of <paramref name="configuration"/> first.</summary>
    public static IServiceCollection AddRedisFlowDashboard(this IServiceCollection services, IConfiguration configuration, Action<DashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddOptions<DashboardOptions>().Bind(configuration.GetSection(DashboardOptions.SectionName));
        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return AddCore(services);
    }

    internal static IServiceCollection AddCore(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, ValidateDashboardOptions>());
        services.AddAntiforgery();
        // The queue gauges' meter comes from the container's factory (already there in an ASP.NET Core app).
        services.AddMetrics();
        services.TryAddSingleton<QueueSampler>();
        services.TryAddSingleton<QueueDetailReader>();
        services.TryAddSingleton<OverviewReader>();
        services.TryAddSingleton<LockReader>();
        services.TryAddSingleton<CacheReader>();
        services.TryAddSingleton<ExecutorReader>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, QueueSamplingService>());
        return services;
    }

    private sealed class ValidateDashboardOptions : IValidateOptions<DashboardOptions>
    {
        public ValidateOptionsResult Validate(string? name, DashboardOptions options)
        {
            try
            {
                options.Validate();
                return ValidateOptionsResult.Success;
            }
            catch (RedisFlowConfigurationException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}
