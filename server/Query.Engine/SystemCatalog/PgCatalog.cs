namespace Query.Engine.SystemCatalog;

/// <summary>
/// The <c>pg_catalog</c> relations, generated from our catalog for each query that reads them (see
/// <see cref="CatalogSnapshot"/>). Unqualified names find these first, as PostgreSQL searches pg_catalog before the
/// search path, so a stream cannot hide <c>pg_class</c>.
/// </summary>
public static partial class PgCatalog
{
    private static IEnumerable<object?[]> Databases(CatalogSnapshot s) =>
    [
        [CatalogSnapshot.DatabaseOid, s.Database, CatalogSnapshot.OwnerOid, 6, 'c', false, true, -1, 0, 0, 1663,
            "C.UTF-8", "C.UTF-8", null, null, null],
    ];

    private static IEnumerable<object?[]> Roles(CatalogSnapshot s) =>
    [
        [s.User, true, true, true, true, true, false, -1, "********", null, true, null, CatalogSnapshot.OwnerOid],
    ];

    private static IEnumerable<object?[]> Users(CatalogSnapshot s) =>
    [
        [s.User, CatalogSnapshot.OwnerOid, true, true, false, true, "********", null, null],
    ];

    private static IEnumerable<object?[]> Settings(CatalogSnapshot s)
    {
        foreach (var (name, value) in s.Settings.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            yield return [name, value, null, "Client Connection Defaults", "", null, "user", "string", "default",
                null, null, null, value, value, null, null, false];
        }
    }

    private static readonly SystemRelation DatabaseRelation = new("pg_catalog", "pg_database", 1262, 'r',
        "oid:oid, datname:name, datdba:oid, encoding:int4, datlocprovider:char, datistemplate:bool, "
        + "datallowconn:bool, datconnlimit:int4, datfrozenxid:xid, datminmxid:xid, dattablespace:oid, "
        + "datcollate:text, datctype:text, daticulocale:text, datcollversion:text, datacl:aclitem[]", Databases);

    private static readonly SystemRelation RolesRelation = new("pg_catalog", "pg_roles", 12001, 'v',
        "rolname:name, rolsuper:bool, rolinherit:bool, rolcreaterole:bool, rolcreatedb:bool, rolcanlogin:bool, "
        + "rolreplication:bool, rolconnlimit:int4, rolpassword:text, rolvaliduntil:text, rolbypassrls:bool, "
        + "rolconfig:text[], oid:oid", Roles);

    private static readonly SystemRelation UserRelation = new("pg_catalog", "pg_user", 12002, 'v',
        "usename:name, usesysid:oid, usecreatedb:bool, usesuper:bool, userepl:bool, usebypassrls:bool, "
        + "passwd:text, valuntil:text, useconfig:text[]", Users);

    private static readonly SystemRelation SettingsRelation = new("pg_catalog", "pg_settings", 12003, 'v',
        "name:text, setting:text, unit:text, category:text, short_desc:text, extra_desc:text, context:text, "
        + "vartype:text, source:text, min_val:text, max_val:text, enumvals:text[], boot_val:text, reset_val:text, "
        + "sourcefile:text, sourceline:int4, pending_restart:bool", Settings);

    private static readonly SystemRelation TablespaceRelation = new("pg_catalog", "pg_tablespace", 1213, 'r',
        "oid:oid, spcname:name, spcowner:oid, spcacl:aclitem[], spcoptions:text[]",
        _ => [[1663, "pg_default", 10, null, null], [1664, "pg_global", 10, null, null]]);

    /// <summary>Every system relation, pg_catalog then information_schema.</summary>
    public static IReadOnlyList<SystemRelation> All => Registry.Value;

    private static readonly Lazy<SystemRelation[]> Registry = new(BuildRegistry);

    private static SystemRelation[] BuildRegistry() =>
    [
        NamespaceRelation, ClassRelation, AttributeRelation, TypeRelation, ProcRelation, IndexRelation,
        ConstraintRelation, DatabaseRelation, RolesRelation, UserRelation, SettingsRelation, DescriptionRelation,
        AccessMethodRelation, ExtensionRelation, RangeRelation, EnumRelation, CollationRelation,
        AttributeDefaultRelation, InheritsRelation, TablespaceRelation, LanguageRelation, .. EmptyRelations,
        .. InformationSchema.Relations,
    ];

    private static readonly Lazy<Dictionary<(string, string), SystemRelation>> ByName =
        new(() => All.ToDictionary(r => (r.Schema, r.Name)));

    /// <summary>
    /// The system relation a name means: <c>pg_catalog.x</c> and <c>information_schema.x</c> by their schema, an
    /// unqualified name in pg_catalog (searched first, as in PostgreSQL); null otherwise.
    /// </summary>
    public static SystemRelation? Find(string? schema, string name)
    {
        if (schema is null)
            return ByName.Value.GetValueOrDefault(("pg_catalog", name));
        return schema is "pg_catalog" or "information_schema" ? ByName.Value.GetValueOrDefault((schema, name)) : null;
    }

    /// <summary>Whether a schema name is one of the system schemas.</summary>
    public static bool IsSystemSchema(string? schema) => schema is "pg_catalog" or "information_schema";
}
