namespace Query.Engine.SystemCatalog;

/// <summary>
/// pg_namespace, pg_class and pg_attribute. Streams and tables are ordinary tables (relkind <c>r</c>): clients list
/// <c>r</c> relations as tables (psql's <c>\dt</c>, SQLAlchemy's <c>get_table_names</c>, pgjdbc's TABLE type,
/// information_schema's BASE TABLE) and offer INSERT and COPY into them, which both accept; a view (<c>v</c>) would
/// be read-only to tools and a materialized view (<c>m</c>) is left out of those lists. A table's PRIMARY KEY is an
/// index relation <c>name_pkey</c> (relkind <c>i</c>, btree).
/// </summary>
public static partial class PgCatalog
{
    private static IEnumerable<object?[]> Namespaces(CatalogSnapshot s) =>
    [
        [CatalogSnapshot.PgCatalogNamespace, "pg_catalog", CatalogSnapshot.OwnerOid, null],
        [CatalogSnapshot.PublicNamespace, "public", CatalogSnapshot.OwnerOid, null],
        [CatalogSnapshot.InformationSchemaNamespace, "information_schema", CatalogSnapshot.OwnerOid, null],
    ];

    private static IEnumerable<object?[]> Classes(CatalogSnapshot s)
    {
        foreach (var relation in s.Relations)
        {
            var definition = relation.Definition;
            yield return ClassRow(relation.Oid, definition.Name, CatalogSnapshot.PublicNamespace, relation.RowTypeOid,
                2, definition.IsTable, 'r', definition.Columns.Count);
            if (definition.IsTable)
            {
                yield return ClassRow(relation.KeyIndexOid, definition.Name + "_pkey", CatalogSnapshot.PublicNamespace,
                    0, 403, false, 'i', 1);
            }
        }
        foreach (var system in All)
        {
            var space = system.Schema == "pg_catalog" ? CatalogSnapshot.PgCatalogNamespace
                : CatalogSnapshot.InformationSchemaNamespace;
            yield return ClassRow(system.Oid, system.Name, space, 0, system.Kind == 'r' ? 2 : 0, false, system.Kind,
                system.Columns.Count);
        }
    }

    private static object?[] ClassRow(int oid, string name, int space, int rowType, int accessMethod, bool hasIndex,
        char kind, int attributes) =>
    [
        oid, name, space, rowType, 0, CatalogSnapshot.OwnerOid, accessMethod, oid, 0, 0, -1.0, 0, 0, hasIndex, false,
        'p', kind, attributes, 0, false, false, false, false, false, true, kind == 'r' ? 'd' : 'n', false, 0, 0, 0,
        null, null, null,
    ];

    private static IEnumerable<object?[]> Attributes(CatalogSnapshot s)
    {
        foreach (var relation in s.Relations)
        {
            var definition = relation.Definition;
            for (var i = 0; i < definition.Columns.Count; i++)
            {
                var type = definition.Columns[i].Type;
                var oid = PgTypes.OidOf(type);
                var notNull = definition.IsTable && definition.IsKeyColumn(i);
                yield return AttributeRow(relation.Oid, definition.Columns[i].Name, oid, i + 1,
                    PgTypes.TypeModifierOf(type), notNull);
            }
            for (var k = 0; definition.IsTable && k < definition.KeyColumns.Count; k++)
            {
                var key = definition.Columns[definition.KeyColumns[k]];
                yield return AttributeRow(relation.KeyIndexOid, key.Name, PgTypes.OidOf(key.Type), k + 1,
                    PgTypes.TypeModifierOf(key.Type), false);
            }
        }
        foreach (var system in All)
        {
            for (var i = 0; i < system.Columns.Count; i++)
            {
                yield return AttributeRow(system.Oid, system.Columns[i].Name, system.ColumnPgTypes[i], i + 1, -1,
                    false);
            }
        }
    }

    private static object?[] AttributeRow(int relation, string name, int type, int number, int typeModifier,
        bool notNull)
    {
        var length = PgTypes.TryGet(type, out var info) ? info.Length : (short)-1;
        var collation = type is PgTypes.Text or PgTypes.Varchar or PgTypes.Bpchar ? 100 : 0;
        return
        [
            relation, name, type, -1, (int)length, number, 0, -1, typeModifier, length is > 0 and <= 8,
            length == 8 ? 'd' : 'i', length == -1 ? 'x' : 'p', "", notNull, false, false, "", "", false, true, 0,
            collation, null, null, null, null,
        ];
    }

    private static readonly SystemRelation NamespaceRelation = new("pg_catalog", "pg_namespace", 2615, 'r',
        "oid:oid, nspname:name, nspowner:oid, nspacl:aclitem[]", Namespaces);

    private static readonly SystemRelation ClassRelation = new("pg_catalog", "pg_class", 1259, 'r',
        "oid:oid, relname:name, relnamespace:oid, reltype:oid, reloftype:oid, relowner:oid, relam:oid, "
        + "relfilenode:oid, reltablespace:oid, relpages:int4, reltuples:float4, relallvisible:int4, "
        + "reltoastrelid:oid, relhasindex:bool, relisshared:bool, relpersistence:char, relkind:char, relnatts:int2, "
        + "relchecks:int2, relhasrules:bool, relhastriggers:bool, relhassubclass:bool, relrowsecurity:bool, "
        + "relforcerowsecurity:bool, relispopulated:bool, relreplident:char, relispartition:bool, relrewrite:oid, "
        + "relfrozenxid:xid, relminmxid:xid, relacl:aclitem[], reloptions:text[], relpartbound:text", Classes);

    private static readonly SystemRelation AttributeRelation = new("pg_catalog", "pg_attribute", 1249, 'r',
        "attrelid:oid, attname:name, atttypid:oid, attstattarget:int4, attlen:int2, attnum:int2, attndims:int4, "
        + "attcacheoff:int4, atttypmod:int4, attbyval:bool, attalign:char, attstorage:char, attcompression:char, "
        + "attnotnull:bool, atthasdef:bool, atthasmissing:bool, attidentity:char, attgenerated:char, "
        + "attisdropped:bool, attislocal:bool, attinhcount:int4, attcollation:oid, attacl:aclitem[], "
        + "attoptions:text[], attfdwoptions:text[], attmissingval:text", Attributes);

}
