using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RedisFlow.Queues;

/// <summary>Registers <see cref="QueueWorker"/>s as hosted services (one per call, so one process can serve several queues).</summary>
public static class QueueWorkerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a worker whose handler is <typeparamref name="THandler"/>, resolved in a new scope for each entry.
    /// Needs a registered <see cref="RedisDb"/> (<c>AddRedisDb</c>).
    /// </summary>
    public static IServiceCollection AddQueueWorker<THandler>(this IServiceCollection services, Action<QueueWorkerOptions> configure)
        where THandler : class, IQueueMessageHandler
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddScoped<THandler>();
        return services.AddQueueWorker(configure, static sp => async (message, ct) =>
        {
            var scope = sp.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                await scope.ServiceProvider.GetRequiredService<THandler>().HandleAsync(message, ct).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Adds a worker that runs <paramref name="handler"/> for each entry. Needs a registered <see cref="RedisDb"/>.</summary>
    public static IServiceCollection AddQueueWorker(this IServiceCollection services, Action<QueueWorkerOptions> configure, QueueMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return services.AddQueueWorker(configure, _ => handler);
    }

    private static IServiceCollection AddQueueWorker(this IServiceCollection services, Action<QueueWorkerOptions> configure, Func<IServiceProvider, QueueMessageHandler> handlerFactory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new QueueWorkerOptions();
        configure(options);
        // Fail at registration, naming the setting, rather than when the host starts.
        options.Validate();
        services.AddSingleton<IHostedService>(sp => new QueueWorker(
            sp.GetRequiredService<RedisDb>(), options, handlerFactory(sp), sp.GetService<ILoggerFactory>()));
        return services;
    }
}
