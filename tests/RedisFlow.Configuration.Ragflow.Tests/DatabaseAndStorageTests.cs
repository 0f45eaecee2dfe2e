using System.Data.Common;

namespace RedisFlow.Configuration.Ragflow.Tests;

/// <summary>DB_TYPE and STORAGE_IMPL pick the sections and providers as RAGFlow's settings do.</summary>
public sealed class DatabaseAndStorageTests
{
    private const string S3Sections = """
        mysql: {host: db, password: p}
        s3:
          access_key: 'AKIA-TEST'
          secret_key: 'aws-secret'
          region_name: 'eu-west-1'
          endpoint_url: 'http://127.0.0.1:9000'
          bucket: 'ragflow'
          prefix_path: 'prod'
          signature_version: 'v4'
          addressing_style: 'path'
        oss:
          access_key: 'oss-key'
          secret_key: 'oss-secret'
          endpoint_url: 'https://oss-cn-hangzhou.aliyuncs.com'
          region: 'cn-hangzhou'
          bucket: 'ragflow-oss'
          signature_version: 's3'
          addressing_style: 'virtual'
        azure:
          auth_type: 'sas'
          container_url: 'https://account.blob.core.windows.net/ragflow'
          sas_token: 'sv=2024&sig=abc'
        """;

    [Fact]
    public void Db_type_postgres_reads_the_postgres_section()
    {
        using var conf = new ConfFolder(DockerTemplate.Text);
        var values = conf.Load(("DB_TYPE", "postgres"), ("POSTGRES_HOST", "127.0.0.1")).Values;

        Assert.Equal("postgres", values["TaskSource:Provider"]);
        var database = new DbConnectionStringBuilder { ConnectionString = values["TaskSource:ConnectionString"] };
        Assert.Equal("127.0.0.1", database["host"]);
        Assert.Equal("5432", database["port"]);
        Assert.Equal("rag_flow", database["username"]);
    }

    [Theory]
    [InlineData("gaussdb")]
    [InlineData("oceanbase")]
    public void Other_db_types_are_refused_naming_db_type(string type)
    {
        using var conf = new ConfFolder(DockerTemplate.Text);

        var ex = Assert.Throws<RedisFlowConfigurationException>(() => conf.Load(("DB_TYPE", type)));

        Assert.Equal("DB_TYPE", ex.Setting);
        Assert.Contains(type, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Minio_is_the_default_storage_with_its_layout()
    {
        using var conf = new ConfFolder(DockerTemplate.Text);
        var values = conf.Load(("MINIO_HOST", "127.0.0.1"), ("MINIO_PREFIX_PATH", "tenant")).Values;

        Assert.Equal("s3", values["Storage:Provider"]);
        Assert.Equal("Minio", values["Storage:Layout"]);
        Assert.Equal("http://127.0.0.1:9000", values["Storage:Endpoint"]);
        Assert.Equal("rag_flow", values["Storage:AccessKey"]);
        Assert.Equal("infini_rag_flow", values["Storage:SecretKey"]);
        Assert.Equal("tenant", values["Storage:Prefix"]);
        Assert.Equal("true", values["Storage:ForcePathStyle"]);
    }

    [Fact]
    public void Minio_secure_means_https_and_unverified_tls_is_refused()
    {
        using var secure = new ConfFolder("mysql: {host: db}\nminio: {user: u, password: p, host: 'm:9000', secure: true}\n");
        Assert.Equal("https://m:9000", secure.Load().Values["Storage:Endpoint"]);

        using var unverified = new ConfFolder("mysql: {host: db}\nminio: {user: u, password: p, host: 'm:9000', secure: true, verify: false}\n");
        Assert.Equal("minio.verify", Assert.Throws<RedisFlowConfigurationException>(() => unverified.Load()).Setting);
    }

    [Fact]
    public void Aws_s3_maps_its_own_fields_and_layout()
    {
        using var conf = new ConfFolder(S3Sections);
        var settings = conf.Load(("STORAGE_IMPL", "AWS_S3"));
        var values = settings.Values;

        Assert.Equal("s3", values["Storage:Provider"]);
        Assert.Equal("AwsS3", values["Storage:Layout"]);
        Assert.Equal("http://127.0.0.1:9000", values["Storage:Endpoint"]);
        Assert.Equal("eu-west-1", values["Storage:Region"]);
        Assert.Equal("AKIA-TEST", values["Storage:AccessKey"]);
        Assert.Equal("aws-secret", values["Storage:SecretKey"]);
        Assert.Equal("ragflow", values["Storage:Bucket"]);
        Assert.Equal("prod", values["Storage:Prefix"]);
        Assert.Equal("true", values["Storage:ForcePathStyle"]);
        Assert.Empty(settings.Notes);
    }

    [Fact]
    public void Oss_maps_region_virtual_addressing_and_notes_the_signature_version()
    {
        using var conf = new ConfFolder(S3Sections);
        var settings = conf.Load(("STORAGE_IMPL", "OSS"));

        Assert.Equal("Oss", settings.Values["Storage:Layout"]);
        Assert.Equal("cn-hangzhou", settings.Values["Storage:Region"]);
        Assert.Equal("false", settings.Values["Storage:ForcePathStyle"]);
        Assert.Equal("ragflow-oss", settings.Values["Storage:Bucket"]);
        Assert.Contains(settings.Notes, n => n.Contains("oss.signature_version", StringComparison.Ordinal));
    }

    [Fact]
    public void Azure_sas_reads_the_section_and_the_environment_wins()
    {
        using var conf = new ConfFolder(S3Sections);

        var fromFile = conf.Load(("STORAGE_IMPL", "AZURE_SAS")).Values;
        Assert.Equal("azure", fromFile["Storage:Provider"]);
        Assert.Equal("https://account.blob.core.windows.net/ragflow", fromFile["Storage:ContainerUrl"]);
        Assert.Equal("sv=2024&sig=abc", fromFile["Storage:SasToken"]);
        Assert.Equal("false", fromFile["Storage:IncludeBucket"]);

        var fromEnvironment = conf.Load(("STORAGE_IMPL", "AZURE_SAS"), ("SAS_TOKEN", "sv=env")).Values;
        Assert.Equal("sv=env", fromEnvironment["Storage:SasToken"]);
    }

    [Theory]
    [InlineData("AZURE_SPN")]
    [InlineData("GCS")]
    [InlineData("OPENDAL")]
    public void Storage_without_a_redisflow_provider_is_refused_naming_storage_impl(string impl)
    {
        using var conf = new ConfFolder(S3Sections);

        var ex = Assert.Throws<RedisFlowConfigurationException>(() => conf.Load(("STORAGE_IMPL", impl)));

        Assert.Equal("STORAGE_IMPL", ex.Setting);
        Assert.Contains(impl, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_session_token_and_an_unknown_signature_are_refused_by_name()
    {
        using var token = new ConfFolder("mysql: {host: db}\ns3: {access_key: a, secret_key: b, session_token: t, bucket: x}\n");
        Assert.Equal("s3.session_token", Assert.Throws<RedisFlowConfigurationException>(() => token.Load(("STORAGE_IMPL", "AWS_S3"))).Setting);

        using var signature = new ConfFolder("mysql: {host: db}\ns3: {access_key: a, secret_key: b, signature_version: v9}\n");
        Assert.Equal("s3.signature_version", Assert.Throws<RedisFlowConfigurationException>(() => signature.Load(("STORAGE_IMPL", "AWS_S3"))).Setting);
    }

    [Fact]
    public void A_missing_section_names_it()
    {
        using var conf = new ConfFolder("redis: {host: 'r:6379'}\nminio: {host: 'm:9000'}\n");

        var ex = Assert.Throws<RedisFlowConfigurationException>(() => conf.Load());

        Assert.Equal("mysql", ex.Setting);
        Assert.Contains("DB_TYPE=mysql", ex.Message, StringComparison.Ordinal);
    }
}
