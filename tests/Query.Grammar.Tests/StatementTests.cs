using Query.Grammar.Ast;

namespace Query.Grammar.Tests;

public class StatementTests
{
    [Fact]
    public void Create_stream_has_columns_key_and_properties()
    {
        var s = Sql.Statement<CreateStream>(
            "CREATE STREAM pageviews (user_id BIGINT KEY, page STRING) WITH (kafka_topic = 'pv', partitions = 4)");
        Assert.Equal("pageviews", s.Name.Name.Value);
        Assert.Equal(2, s.Columns.Count);
        Assert.Equal(new ColumnDefinition(Identifier.Unquoted("user_id"), SqlTypeSyntax.Simple("BIGINT"), ColumnRole.Key, null),
            s.Columns[0]);
        Assert.Equal(ColumnRole.Value, s.Columns[1].Role);
        Assert.Equal("kafka_topic", s.Properties[0].Name.Value);
        Assert.Equal(new StringLiteral("pv"), s.Properties[0].Value);
        Assert.Equal(new IntegerLiteral(4), s.Properties[1].Value);
        Assert.False(s.OrReplace || s.IfNotExists || s.IsSource);
    }

    [Fact]
    public void Create_or_replace_source_stream_if_not_exists_sets_every_flag()
    {
        var s = Sql.Statement<CreateStream>("create or replace source stream if not exists s (a int)");
        Assert.True(s.OrReplace && s.IfNotExists && s.IsSource);
        Assert.True(s.Properties.IsEmpty);
    }

    [Fact]
    public void Create_table_marks_primary_key_and_header_columns()
    {
        var t = Sql.Statement<CreateTable>(
            "CREATE TABLE t (id STRING PRIMARY KEY, h ARRAY<STRUCT<key STRING, value BYTES>> HEADERS, k BYTES HEADER('trace'))");
        Assert.Equal(ColumnRole.PrimaryKey, t.Columns[0].Role);
        Assert.Equal(ColumnRole.Headers, t.Columns[1].Role);
        Assert.Equal(ColumnRole.Header, t.Columns[2].Role);
        Assert.Equal("trace", t.Columns[2].HeaderKey);
    }

    [Fact]
    public void Create_table_keeps_a_primary_key_constraint_in_key_order()
    {
        var t = Sql.Statement<CreateTable>("CREATE TABLE t (a INT, b STRING, c INT, PRIMARY KEY (b, a))");
        Assert.Equal([Identifier.Unquoted("b"), Identifier.Unquoted("a")], t.PrimaryKey);
        Assert.All(t.Columns, c => Assert.Equal(ColumnRole.Value, c.Role));
        Assert.Empty(Sql.Statement<CreateTable>("CREATE TABLE t (a INT PRIMARY KEY)").PrimaryKey);
    }

    [Fact]
    public void Group_by_a_grouping_set_is_its_expressions()
    {
        var select = Assert.IsType<Select>(Sql.Statement<QueryStatement>(
            "SELECT a, b, c, COUNT(*) FROM s GROUP BY (c, b), a").Query.Body);
        Assert.Equal(["c", "b", "a"], select.GroupBy.Select(e => ((ColumnRef)e).Name.Value));
        Assert.Single(Assert.IsType<Select>(Sql.Statement<QueryStatement>(
            "SELECT COUNT(*) FROM s GROUP BY (a + 1)").Query.Body).GroupBy);
    }

    [Fact]
    public void Create_stream_and_table_as_select_keep_the_query()
    {
        var csas = Sql.Statement<CreateStreamAsSelect>("CREATE STREAM s2 WITH (kafka_topic = 'x') AS SELECT * FROM s EMIT CHANGES");
        Assert.Equal(EmitKind.Changes, csas.Query.Emit);
        Assert.Single(csas.Properties);
        var ctas = Sql.Statement<CreateTableAsSelect>("CREATE OR REPLACE TABLE IF NOT EXISTS t AS SELECT k, COUNT(*) FROM s GROUP BY k");
        Assert.True(ctas.OrReplace && ctas.IfNotExists);
        Assert.Single(Assert.IsType<Select>(ctas.Query.Body).GroupBy);
    }

    [Fact]
    public void Insert_values_keeps_columns_and_rows()
    {
        var i = Sql.Statement<InsertValues>("INSERT INTO s (a, b) VALUES (1, 'x'), ($1, NULL)");
        Assert.Equal([Identifier.Unquoted("a"), Identifier.Unquoted("b")], i.Columns);
        Assert.Equal(2, i.Rows.Count);
        Assert.Equal(new Parameter(1), i.Rows[1].Values[0]);
        Assert.Equal(new NullLiteral(), i.Rows[1].Values[1]);
        Assert.True(Sql.Statement<InsertValues>("INSERT INTO s VALUES (1)").Columns.IsEmpty);
    }

    [Fact]
    public void Insert_select_keeps_target_and_query()
    {
        var i = Sql.Statement<InsertInto>("INSERT INTO sink WITH (query_id = 'q') SELECT * FROM src");
        Assert.Equal("sink", i.Target.ToString());
        Assert.Equal("query_id", i.Properties[0].Name.Value);
    }

    [Fact]
    public void Alter_adds_columns_or_sets_properties()
    {
        var add = Sql.Statement<AlterSourceAddColumns>("ALTER STREAM s ADD COLUMN c INT, ADD d STRING");
        Assert.Equal(SourceKind.Stream, add.Kind);
        Assert.Equal(["c", "d"], add.Columns.Select(c => c.Name.Value));
        var set = Sql.Statement<AlterSourceSetProperties>("ALTER TABLE t SET (retention_ms = 10)");
        Assert.Equal(SourceKind.Table, set.Kind);
        Assert.Equal(new IntegerLiteral(10), set.Properties[0].Value);
    }

    [Theory]
    [InlineData("DROP STREAM s", SourceKind.Stream, false, false)]
    [InlineData("DROP TABLE IF EXISTS s", SourceKind.Table, true, false)]
    [InlineData("DROP STREAM IF EXISTS s DELETE TOPIC", SourceKind.Stream, true, true)]
    public void Drop_reads_kind_and_flags(string sql, SourceKind kind, bool ifExists, bool deleteTopic) =>
        Assert.Equal(new DropSource(kind, QualifiedName.Of("s"), ifExists, deleteTopic), Sql.Statement<DropSource>(sql));

    [Theory]
    [InlineData("SHOW STREAMS", ShowKind.Streams, false, false)]
    [InlineData("LIST STREAMS EXTENDED", ShowKind.Streams, true, false)]
    [InlineData("SHOW TABLES", ShowKind.Tables, false, false)]
    [InlineData("list queries extended", ShowKind.Queries, true, false)]
    [InlineData("SHOW PROPERTIES", ShowKind.Properties, false, false)]
    [InlineData("SHOW FUNCTIONS EXTENDED", ShowKind.Functions, true, false)]
    [InlineData("SHOW ALL TOPICS", ShowKind.Topics, false, true)]
    [InlineData("LIST TYPES", ShowKind.Types, false, false)]
    [InlineData("SHOW VARIABLES", ShowKind.Variables, false, false)]
    public void Show_and_list_read_kind_and_extended(string sql, ShowKind kind, bool extended, bool all) =>
        Assert.Equal(new Show(kind, extended, all), Sql.Statement<Show>(sql));

    [Theory]
    [InlineData("SHOW server_version", "server_version")]
    [InlineData("SHOW TRANSACTION ISOLATION LEVEL", "transaction_isolation")]
    [InlineData("SHOW ALL", "all")]
    [InlineData("show \"DateStyle\"", "DateStyle")]
    public void Show_variable_reads_a_postgres_setting_name(string sql, string name) =>
        Assert.Equal(name, Sql.Statement<ShowVariable>(sql).Name.Name.Value);

    [Fact]
    public void Describe_forms()
    {
        Assert.Equal(new Describe(QualifiedName.Of("s"), false), Sql.Statement<Describe>("DESCRIBE s"));
        Assert.True(Sql.Statement<Describe>("DESCRIBE EXTENDED s").Extended);
        Assert.True(Sql.Statement<Describe>("DESCRIBE s EXTENDED").Extended);
        Assert.Equal("substring", Sql.Statement<DescribeFunction>("DESCRIBE FUNCTION substring").Name.Value);
    }

    [Fact]
    public void Explain_takes_a_statement_or_a_query_id()
    {
        var statement = Sql.Statement<Explain>("EXPLAIN SELECT * FROM s");
        Assert.IsType<QueryStatement>(statement.Statement);
        Assert.Null(statement.QueryId);
        var id = Sql.Statement<Explain>("EXPLAIN CSAS_S_0");
        Assert.Null(id.Statement);
        Assert.Equal("csas_s_0", id.QueryId!.Value);
    }

    [Fact]
    public void Terminate_takes_a_query_id_or_all()
    {
        Assert.Equal("ctas_t_1", Sql.Statement<Terminate>("TERMINATE CTAS_T_1").QueryId!.Value);
        Assert.Null(Sql.Statement<Terminate>("TERMINATE ALL").QueryId);
    }

    [Fact]
    public void Print_reads_topic_and_options()
    {
        var p = Sql.Statement<Print>("PRINT 'my-topic' FROM BEGINNING INTERVAL 2 LIMIT 10");
        Assert.Equal(new Print(Identifier.QuotedName("my-topic"), true, 2, 10), p);
        Assert.Equal(new Print(Identifier.Unquoted("t"), false, null, null), Sql.Statement<Print>("PRINT t"));
    }

    [Fact]
    public void Ksql_set_and_unset_take_quoted_property_names()
    {
        Assert.Equal(new SetProperty("auto.offset.reset", "earliest"),
            Sql.Statement<SetProperty>("SET 'auto.offset.reset' = 'earliest'"));
        Assert.Equal(new UnsetProperty("auto.offset.reset"), Sql.Statement<UnsetProperty>("UNSET 'auto.offset.reset'"));
    }

    [Fact]
    public void Postgres_set_reads_name_values_and_scope()
    {
        var set = Sql.Statement<SetVariable>("SET extra_float_digits = 3");
        Assert.Equal(new SetVariable(QualifiedName.Of("extra_float_digits"), [new IntegerLiteral(3)], false), set);
        var list = Sql.Statement<SetVariable>("SET LOCAL search_path TO public, 'x', -1");
        Assert.True(list.Local);
        Assert.Equal([new StringLiteral("public"), new StringLiteral("x"), new IntegerLiteral(-1)], list.Values);
        Assert.True(Sql.Statement<SetVariable>("SET x TO DEFAULT").Values.IsEmpty);
        var zone = Sql.Statement<SetVariable>("SET TIME ZONE 'UTC'");
        Assert.Equal("timezone", zone.Name.Name.Value);
        Assert.Equal(new StringLiteral("UTC"), zone.Values[0]);
        Assert.Equal(new StringLiteral("on"), Sql.Statement<SetVariable>("SET standard_conforming_strings = on").Values[0]);
    }

    [Theory]
    [InlineData("BEGIN", typeof(BeginTransaction))]
    [InlineData("BEGIN TRANSACTION ISOLATION LEVEL READ COMMITTED", typeof(BeginTransaction))]
    [InlineData("START TRANSACTION", typeof(BeginTransaction))]
    [InlineData("COMMIT", typeof(CommitTransaction))]
    [InlineData("END", typeof(CommitTransaction))]
    [InlineData("ROLLBACK WORK", typeof(RollbackTransaction))]
    [InlineData("ABORT", typeof(RollbackTransaction))]
    public void Transaction_control_statements(string sql, Type type) =>
        Assert.IsType(type, SqlParser.ParseStatement(sql));

    [Theory]
    [InlineData("DISCARD ALL", DiscardTarget.All)]
    [InlineData("DISCARD PLANS", DiscardTarget.Plans)]
    [InlineData("DISCARD SEQUENCES", DiscardTarget.Sequences)]
    [InlineData("DISCARD TEMP", DiscardTarget.Temporary)]
    public void Discard_reads_its_target(string sql, DiscardTarget target) =>
        Assert.Equal(target, Sql.Statement<Discard>(sql).Target);

    [Fact]
    public void Create_and_drop_type()
    {
        var create = Sql.Statement<CreateType>("CREATE TYPE IF NOT EXISTS address AS STRUCT<street STRING>");
        Assert.True(create.IfNotExists);
        Assert.Equal(SqlTypeNames.Struct, create.Type.Name);
        Assert.Equal(new DropType(Identifier.Unquoted("address"), true), Sql.Statement<DropType>("DROP TYPE IF EXISTS address"));
    }

    [Fact]
    public void Several_statements_separated_by_semicolons()
    {
        var statements = SqlParser.Parse(";; SELECT 1; SHOW STREAMS;; BEGIN ;");
        Assert.Equal(3, statements.Length);
        Assert.IsType<QueryStatement>(statements[0]);
        Assert.IsType<Show>(statements[1]);
        Assert.IsType<BeginTransaction>(statements[2]);
        Assert.Empty(SqlParser.Parse("  -- nothing\n ; /* at all */ "));
    }

    [Fact]
    public void Parse_statement_requires_exactly_one()
    {
        Assert.Throws<SqlSyntaxException>(() => SqlParser.ParseStatement("SELECT 1; SELECT 2"));
        Assert.Throws<SqlSyntaxException>(() => SqlParser.ParseStatement(" ; "));
        Assert.IsType<QueryStatement>(SqlParser.ParseStatement("SELECT 1;"));
    }
}
