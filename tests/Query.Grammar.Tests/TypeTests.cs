using Query.Grammar.Ast;

namespace Query.Grammar.Tests;

public class TypeTests
{
    private static SqlTypeSyntax TypeOf(string type) =>
        Sql.Statement<CreateStream>($"CREATE STREAM s (c {type})").Columns[0].Type;

    [Theory]
    [InlineData("BOOLEAN", "BOOLEAN")]
    [InlineData("bool", "BOOLEAN")]
    [InlineData("INT", "INT")]
    [InlineData("INTEGER", "INT")]
    [InlineData("int4", "INT")]
    [InlineData("int2", "INT")]
    [InlineData("smallint", "INT")]
    [InlineData("BIGINT", "BIGINT")]
    [InlineData("int8", "BIGINT")]
    [InlineData("DOUBLE", "DOUBLE")]
    [InlineData("double precision", "DOUBLE")]
    [InlineData("float8", "DOUBLE")]
    [InlineData("real", "DOUBLE")]
    [InlineData("STRING", "STRING")]
    [InlineData("VARCHAR", "STRING")]
    [InlineData("text", "STRING")]
    [InlineData("character varying", "STRING")]
    [InlineData("pg_catalog.text", "STRING")]
    [InlineData("BYTES", "BYTES")]
    [InlineData("bytea", "BYTES")]
    [InlineData("TIMESTAMP", "TIMESTAMP")]
    [InlineData("timestamptz", "TIMESTAMP")]
    [InlineData("timestamp with time zone", "TIMESTAMP")]
    [InlineData("timestamp without time zone", "TIMESTAMP")]
    [InlineData("DATE", "DATE")]
    [InlineData("TIME", "TIME")]
    [InlineData("numeric", "DECIMAL")]
    [InlineData("regclass", "REGCLASS")]
    [InlineData("pg_catalog.regtype", "REGTYPE")]
    public void Postgres_spellings_map_to_dialect_names(string written, string name)
    {
        var type = TypeOf(written);
        Assert.Equal(name, type.Name);
        Assert.True(type.Parameters.IsEmpty);
    }

    [Fact]
    public void Parameters_are_kept()
    {
        Assert.Equal(SqlTypeSyntax.Simple("DECIMAL", 10, 2), TypeOf("DECIMAL(10, 2)"));
        Assert.Equal(SqlTypeSyntax.Simple("STRING", 20), TypeOf("varchar(20)"));
    }

    [Fact]
    public void Compound_types()
    {
        Assert.Equal(SqlTypeSyntax.Array(SqlTypeSyntax.Simple("STRING")), TypeOf("ARRAY<STRING>"));
        Assert.Equal(SqlTypeSyntax.Array(SqlTypeSyntax.Simple("INT")), TypeOf("int2[]"));
        Assert.Equal(SqlTypeSyntax.Map(SqlTypeSyntax.Simple("STRING"), SqlTypeSyntax.Array(SqlTypeSyntax.Simple("INT"))),
            TypeOf("MAP<STRING, ARRAY<INT>>"));
        Assert.Equal(
            SqlTypeSyntax.Struct(
                new StructFieldType(Identifier.Unquoted("a"), SqlTypeSyntax.Simple("INT")),
                new StructFieldType(Identifier.QuotedName("B"), SqlTypeSyntax.Struct())),
            TypeOf("STRUCT<a INT, `B` STRUCT<>>"));
    }

    [Fact]
    public void User_type_names_are_kept()
    {
        Assert.Equal("ADDRESS", TypeOf("address").Name);
        Assert.Equal("MyType", TypeOf("\"MyType\"").Name);
    }
}
