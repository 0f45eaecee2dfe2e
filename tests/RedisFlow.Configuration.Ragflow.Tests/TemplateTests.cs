using System.Data.Common;

namespace RedisFlow.Configuration.Ragflow.Tests;

/// <summary>The docker template's variable forms and RAGFlow's local.service_conf.yaml override.</summary>
public sealed class TemplateTests
{
    [Fact]
    public void Defaults_apply_when_variables_are_unset()
    {
        using var conf = new ConfFolder(DockerTemplate.Text);
        var values = conf.Load().Values;

        Assert.Equal("redis:6379", values["Redis:Host"]);
        Assert.Equal("infini_rag_flow", values["Redis:Password"]);
        Assert.False(values.ContainsKey("Redis:Username"));
        Assert.Equal("1", values["Redis:Db"]);
        var database = Parse(values["TaskSource:ConnectionString"]);
        Assert.Equal("mysql", database["server"]);
        Assert.Equal("3306", database["port"]);
        Assert.Equal("root", database["user id"]);
        Assert.Equal("rag_flow", database["database"]);
        Assert.Equal("infini_rag_flow", database["password"]);
    }

    [Fact]
    public void Set_variables_win_and_empty_ones_count_as_unset()
    {
        using var conf = new ConfFolder(DockerTemplate.Text);
        var values = conf.Load(("REDIS_HOST", "10.0.0.5"), ("REDIS_PASSWORD", ""), ("REDIS_USERNAME", "flow"), ("MYSQL_PORT", "3307"), ("MINIO_BUCKET", "ragflow")).Values;

        Assert.Equal("10.0.0.5:6379", values["Redis:Host"]);
        Assert.Equal("infini_rag_flow", values["Redis:Password"]);
        Assert.Equal("flow", values["Redis:Username"]);
        Assert.Equal("3307", Parse(values["TaskSource:ConnectionString"])["port"]);
        Assert.Equal("ragflow", values["Storage:Bucket"]);
        Assert.False(values.ContainsKey("Storage:Prefix"));
    }

    [Fact]
    public void A_rendered_file_passes_through_unchanged()
    {
        using var conf = new ConfFolder("""
            redis:
              db: 2
              password: 'pa$$word'
              host: 'cache.internal:6380'
            mysql: {name: rag_flow, user: root, password: secret, host: db.internal, port: 3306}
            minio: {user: u, password: p, host: 'minio.internal:9000'}
            """);
        var values = conf.Load(("password", "not used")).Values;

        Assert.Equal("cache.internal:6380", values["Redis:Host"]);
        Assert.Equal("2", values["Redis:Db"]);
        Assert.Equal("pa$$word", values["Redis:Password"]);
    }

    [Fact]
    public void Local_service_conf_replaces_whole_sections_not_single_keys()
    {
        using var conf = new ConfFolder(DockerTemplate.Text, localServiceConf: """
            redis:
              host: 'local-redis:6379'
            """);
        var values = conf.Load().Values;

        Assert.Equal("local-redis:6379", values["Redis:Host"]);
        // RAGFlow's dict.update: the local section has no password, so there is none (no deep merge).
        Assert.False(values.ContainsKey("Redis:Password"));
        Assert.Equal("mysql", Parse(values["TaskSource:ConnectionString"])["server"]);
    }

    [Fact]
    public void Invalid_yaml_names_the_position_and_never_the_text()
    {
        using var conf = new ConfFolder("redis:\n  password: 'Sup3r-Secret\n  host: [unclosed\n");

        var ex = Assert.Throws<RedisFlowConfigurationException>(() => conf.Load());

        Assert.Contains("not valid YAML (line", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Sup3r", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_names_the_option()
    {
        var ex = Assert.Throws<RedisFlowConfigurationException>(() => RagflowSettings.Load("/nonexistent/service_conf.yaml", _ => null));

        Assert.Equal("--ragflow-conf", ex.Setting);
    }

    private static DbConnectionStringBuilder Parse(string? connectionString) => new() { ConnectionString = connectionString };
}
