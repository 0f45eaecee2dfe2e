using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RedisFlow.DependencyInjection;

/// <summary>Registers one shared <see cref="RedisDb"/>: the seed's singleton, the .NET way.</summary>
public static class RedisDbServiceCollectionExtensions
{
    /// <summary>Binds <see cref="RedisDbOptions"/> from <paramref name="configuration"/> (its <c>Redis</c> section) and registers one <see cref="RedisDb"/>.</summary>
    public static IServiceCollection AddRedisDb(this IServiceCollection services, IConfiguration configuration, Action<RedisDbOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(RedisDbOptions.SectionName);
        services.AddOptions<RedisDbOptions>().Bind(section);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services.AddRedisDbCore();
    }

    /// <summary>Registers one <see cref="RedisDb"/> configured in code.</summary>
    public static IServiceCollection AddRedisDb(this IServiceCollection services, Action<RedisDbOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<RedisDbOptions>().Configure(configure);
        return services.AddRedisDbCore();
    }

    private static IServiceCollection AddRedisDbCore(this IServiceCollection services)
    {
        // Validation at resolution time gives a clear error naming the setting, before any connection is tried.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisDbOptions>, RedisDbOptionsValidator>());
        services.TryAddSingleton(sp => new RedisDb(
            sp.GetRequiredService<IOptions<RedisDbOptions>>(),
            sp.GetService<ILoggerFactory>()));
        return services;
    }

    private sealed class RedisDbOptionsValidator : IValidateOptions<RedisDbOptions>
    {
        public ValidateOptionsResult Validate(string? name, RedisDbOptions options)
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
