using Query.Engine.Types;

namespace Query.Engine.SystemCatalog;

/// <summary>
/// The SQL-standard <c>information_schema</c> views clients read (Grafana's query builder, pgjdbc, DBeaver):
/// generated from the same snapshot as pg_catalog. Streams and tables are BASE TABLEs; a table's key is its
/// PRIMARY KEY constraint <c>name_pkey</c>.
/// </summary>
public static class InformationSchema
{
    private const string Schema = "information_schema";

    private static IEnumerable<object?[]> Schemata(CatalogSnapshot s) =>
        ((string[])["pg_catalog", "public", Schema]).Select(name =>
            new object?[] { s.Database, name, s.User, null, null, null, null });

    private static IEnumerable<object?[]> Tables(CatalogSnapshot s)
    {
        foreach (var relation in s.Relations)
        {
            yield return [s.Database, "public", relation.Definition.Name, "BASE TABLE", null, null, null, null, null,
                "YES", "NO", null];
        }
        foreach (var system in PgCatalog.All)
        {
            yield return [s.Database, system.Schema, system.Name, system.Kind == 'v' ? "VIEW" : "BASE TABLE", null,
                null, null, null, null, "NO", "NO", null];
        }
    }

    private static IEnumerable<object?[]> Columns(CatalogSnapshot s)
    {
        foreach (var relation in s.Relations)
        {
            var definition = relation.Definition;
            for (var i = 0; i < definition.Columns.Count; i++)
            {
                var type = definition.Columns[i].Type;
                var oid = PgTypes.OidOf(type);
                var notNull = definition.IsTable && definition.IsKeyColumn(i);
                var (precision, radix, scale) = Numeric(type);
                PgTypes.TryGet(oid, out var info);
                yield return
                [
                    s.Database, "public", definition.Name, definition.Columns[i].Name, i + 1, null,
                    notNull ? "NO" : "YES", DataType(oid), null, null, precision, radix, scale,
                    type.Kind is SqlTypeKind.Timestamp or SqlTypeKind.Time ? 3 : null, null, null, s.Database,
                    "pg_catalog", info?.Name ?? "text",
                    (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "NO", "NO", null, "NEVER", null, "YES",
                ];
            }
        }
    }

    /// <summary>information_schema's data_type: the SQL name, ARRAY, or USER-DEFINED.</summary>
    private static string DataType(int oid) => oid switch
    {
        PgTypes.Json => "json",
        _ when PgTypes.TryGet(oid, out var type) && type.IsArray => "ARRAY",
        _ => PgTypes.FormatType(oid, -1),
    };

    private static (int?, int?, int?) Numeric(SqlType type) => type switch
    {
        DecimalType d => (d.Precision, 10, d.Scale),
        _ => type.Kind switch
        {
            SqlTypeKind.Int => (32, 2, 0),
            SqlTypeKind.BigInt => (64, 2, 0),
            SqlTypeKind.Double => (53, 2, null),
            _ => (null, null, null),
        },
    };

    private static IEnumerable<object?[]> TableConstraints(CatalogSnapshot s)
    {
        foreach (var relation in s.Relations)
        {
            if (relation.KeyConstraintOid == 0 || relation.Definition.KeyColumn < 0)
                continue;
            yield return [s.Database, "public", relation.Definition.Name + "_pkey", s.Database, "public",
                relation.Definition.Name, "PRIMARY KEY", "NO", "NO", "YES", null];
        }
    }

    private static IEnumerable<object?[]> KeyColumnUsage(CatalogSnapshot s)
    {
        foreach (var relation in s.Relations)
        {
            if (relation.KeyConstraintOid == 0 || relation.Definition.KeyColumn < 0)
                continue;
            var definition = relation.Definition;
            for (var k = 0; k < definition.KeyColumns.Count; k++)
            {
                yield return [s.Database, "public", definition.Name + "_pkey", s.Database, "public", definition.Name,
                    definition.Columns[definition.KeyColumns[k]].Name, k + 1, null];
            }
        }
    }

    private static IEnumerable<object?[]> Routines(CatalogSnapshot s)
    {
        foreach (var (oid, name, _, result, _) in PgCatalog.Functions())
        {
            var specific = name + "_" + oid.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return [s.Database, "pg_catalog", specific, s.Database, "pg_catalog", name, "FUNCTION",
                result.Length == 0 ? "void" : result, "EXTERNAL", "C"];
        }
    }

    internal static readonly SystemRelation[] Relations =
    [
        new(Schema, "schemata", 13001, 'v',
            "catalog_name:name, schema_name:name, schema_owner:name, default_character_set_catalog:name, "
            + "default_character_set_schema:name, default_character_set_name:name, sql_path:text", Schemata),
        new(Schema, "tables", 13002, 'v',
            "table_catalog:name, table_schema:name, table_name:name, table_type:text, "
            + "self_referencing_column_name:name, reference_generation:text, user_defined_type_catalog:name, "
            + "user_defined_type_schema:name, user_defined_type_name:name, is_insertable_into:text, is_typed:text, "
            + "commit_action:text", Tables),
        new(Schema, "columns", 13003, 'v',
            "table_catalog:name, table_schema:name, table_name:name, column_name:name, ordinal_position:int4, "
            + "column_default:text, is_nullable:text, data_type:text, character_maximum_length:int4, "
            + "character_octet_length:int4, numeric_precision:int4, numeric_precision_radix:int4, "
            + "numeric_scale:int4, datetime_precision:int4, interval_type:text, interval_precision:int4, "
            + "udt_catalog:name, udt_schema:name, udt_name:name, dtd_identifier:name, is_self_referencing:text, "
            + "is_identity:text, identity_generation:text, is_generated:text, generation_expression:text, "
            + "is_updatable:text", Columns),
        new(Schema, "views", 13004, 'v',
            "table_catalog:name, table_schema:name, table_name:name, view_definition:text, check_option:text, "
            + "is_updatable:text, is_insertable_into:text, is_trigger_updatable:text, "
            + "is_trigger_deletable:text, is_trigger_insertable_into:text", _ => []),
        new(Schema, "table_constraints", 13005, 'v',
            "constraint_catalog:name, constraint_schema:name, constraint_name:name, table_catalog:name, "
            + "table_schema:name, table_name:name, constraint_type:text, is_deferrable:text, "
            + "initially_deferred:text, enforced:text, nulls_distinct:text", TableConstraints),
        new(Schema, "key_column_usage", 13006, 'v',
            "constraint_catalog:name, constraint_schema:name, constraint_name:name, table_catalog:name, "
            + "table_schema:name, table_name:name, column_name:name, ordinal_position:int4, "
            + "position_in_unique_constraint:int4", KeyColumnUsage),
        new(Schema, "routines", 13007, 'v',
            "specific_catalog:name, specific_schema:name, specific_name:name, routine_catalog:name, "
            + "routine_schema:name, routine_name:name, routine_type:text, data_type:text, routine_body:text, "
            + "external_language:text", Routines),
    ];
}
