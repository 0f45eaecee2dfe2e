namespace RedisFlow.Configuration.Ragflow.Tests;

/// <summary>A temporary conf/ folder holding a service_conf.yaml (and optionally local.service_conf.yaml).</summary>
internal sealed class ConfFolder : IDisposable
{
    private readonly string _path = Directory.CreateTempSubdirectory("ragflow-conf-").FullName;

    public ConfFolder(string serviceConf, string? localServiceConf = null)
    {
        File.WriteAllText(ServiceConf, serviceConf);
        if (localServiceConf is not null)
        {
            File.WriteAllText(System.IO.Path.Combine(_path, "local.service_conf.yaml"), localServiceConf);
        }
    }

    public string ServiceConf => System.IO.Path.Combine(_path, "service_conf.yaml");

    /// <summary>Loads the file with only <paramref name="environment"/> as the environment.</summary>
    public RagflowSettings Load(params (string Name, string Value)[] environment)
    {
        var variables = environment.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal);
        return RagflowSettings.Load(ServiceConf, name => variables.GetValueOrDefault(name));
    }

    public void Dispose() => Directory.Delete(_path, recursive: true);
}
