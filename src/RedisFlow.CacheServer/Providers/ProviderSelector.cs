using Microsoft.Extensions.Configuration;

namespace RedisFlow.CacheServer.Providers;

/// <summary>Picks the registered factory named by a section's <c>Provider</c> setting.</summary>
internal static class ProviderSelector
{
    public static TFactory Select<TFactory>(IConfigurationSection section, IEnumerable<TFactory> factories, Func<TFactory, string> name, string fallback)
    {
        var wanted = section["Provider"];
        if (string.IsNullOrWhiteSpace(wanted))
        {
            wanted = fallback;
        }

        var known = factories.ToList();
        foreach (var factory in known)
        {
            if (string.Equals(name(factory), wanted, StringComparison.OrdinalIgnoreCase))
            {
                return factory;
            }
        }

        var names = known.Count == 0 ? "none is registered" : "registered: " + string.Join(", ", known.Select(name).Order(StringComparer.Ordinal));
        throw new RedisFlowConfigurationException($"{section.Path}:Provider", $"is '{wanted}', which is not a known provider ({names}).");
    }
}
