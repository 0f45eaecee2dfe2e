namespace RedisFlow.Configuration.Ragflow.Tests;

/// <summary>
/// The sections RedisFlow reads, in the shape of RAGFlow's <c>docker/service_conf.yaml.template</c> (commit b1b8cd6):
/// quoted <c>${VAR:-default}</c> forms, an unquoted port, <c>host:port</c> strings, and sections RedisFlow ignores.
/// </summary>
internal static class DockerTemplate
{
    public const string Text = """
        ragflow:
          host: ${RAGFLOW_HOST:-0.0.0.0}
          http_port: 9380
        mysql:
          name: '${MYSQL_DBNAME:-rag_flow}'
          user: '${MYSQL_USER:-root}'
          password: '${MYSQL_PASSWORD:-infini_rag_flow}'
          host: '${MYSQL_HOST:-mysql}'
          port: ${MYSQL_PORT:-3306}
          max_connections: 900
        minio:
          user: '${MINIO_USER:-rag_flow}'
          password: '${MINIO_PASSWORD:-infini_rag_flow}'
          host: '${MINIO_HOST:-minio}:9000'
          bucket: '${MINIO_BUCKET:-}'
          prefix_path: '${MINIO_PREFIX_PATH:-}'
        redis:
          db: 1
          username: '${REDIS_USERNAME:-}'
          password: '${REDIS_PASSWORD:-infini_rag_flow}'
          host: '${REDIS_HOST:-redis}:6379'
        postgres:
          name: '${POSTGRES_DBNAME:-rag_flow}'
          user: '${POSTGRES_USER:-rag_flow}'
          password: '${POSTGRES_PASSWORD:-infini_rag_flow}'
          host: '${POSTGRES_HOST:-postgres}'
          port: 5432
        user_default_llm:
          default_models:
            embedding_model:
              api_key: 'xxx'
              base_url: 'http://${TEI_HOST}:80'
        """;
}
