using Microsoft.Extensions.Configuration;

namespace RedisFlow.Configuration.Ragflow;

/// <summary>A configuration source over RAGFlow's <c>service_conf.yaml</c> (see <see cref="RagflowSettings"/>).</summary>
public sealed class RagflowConfigurationSource : IConfigurationSource
{
    /// <summary>RAGFlow's <c>conf/service_conf.yaml</c>, or the docker template.</summary>
    public required string Path { get; init; }

    /// <summary>Reads an environment variable; the process environment when null.</summary>
    public Func<string, string?>? Environment { get; init; }

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new RagflowConfigurationProvider(this);
}

/// <summary>Loads <see cref="RagflowSettings.Values"/> into configuration.</summary>
internal sealed class RagflowConfigurationProvider(RagflowConfigurationSource source) : ConfigurationProvider
{
    public override void Load() =>
        Data = new Dictionary<string, string?>(RagflowSettings.Load(source.Path, source.Environment).Values, StringComparer.OrdinalIgnoreCase);

    public override string ToString() => $"RAGFlow {System.IO.Path.GetFileName(source.Path)}";
}
