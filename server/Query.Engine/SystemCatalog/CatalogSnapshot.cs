using System.Text;
using Query.Engine.Catalog;

namespace Query.Engine.SystemCatalog;

/// <summary>A user stream or table as the system catalog shows it, with its OIDs.</summary>
/// <param name="Definition">The definition.</param>
/// <param name="Oid">pg_class.oid.</param>
public sealed record CatalogRelation(StreamDefinition Definition, int Oid)
{
    /// <summary>The relation's row type (pg_class.reltype, pg_type.typrelid).</summary>
    public int RowTypeOid => Oid + 1;

    /// <summary>The primary-key index of a table (pg_index.indexrelid), or 0 for a stream.</summary>
    public int KeyIndexOid => Definition.IsTable ? Oid + 2 : 0;

    /// <summary>The primary-key constraint of a table (pg_constraint.oid), or 0 for a stream.</summary>
    public int KeyConstraintOid => Definition.IsTable ? Oid + 3 : 0;
}

/// <summary>
/// What the system catalog relations are generated from, taken once per query: the user relations (with OIDs),
/// the session's identity and settings. A relation's OID comes from its name (FNV-1a over the UTF-8 name, four
/// OIDs per relation: the relation, its row type, its key index and key constraint, all at or above
/// <see cref="FirstUserOid"/> as in PostgreSQL), so the OID a client read in one query still names the relation
/// in the next one, and across restarts; two names landing on the same OIDs take the next free ones in name order.
/// </summary>
public sealed class CatalogSnapshot
{
    public const int FirstUserOid = 16384;
    public const int PgCatalogNamespace = 11;
    public const int PublicNamespace = 2200;
    public const int InformationSchemaNamespace = 13000;
    public const int OwnerOid = 10;
    public const int DatabaseOid = 16383;
    private const uint OidSlots = 500_000_000;

    private readonly Dictionary<int, CatalogRelation> _byOid = [];
    private readonly Func<string, long>? _relationBytes;
    private readonly Dictionary<string, CatalogRelation> _byName = new(StringComparer.Ordinal);

    public CatalogSnapshot(IReadOnlyList<StreamDefinition> definitions, string user, string database,
        IReadOnlyDictionary<string, string> settings, Func<string, long>? relationBytes = null)
    {
        _relationBytes = relationBytes;
        User = user;
        Database = database;
        Settings = settings;
        var relations = new List<CatalogRelation>(definitions.Count);
        var taken = new HashSet<int>();
        foreach (var definition in definitions.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var slot = Fnv1a(definition.Name) % OidSlots;
            while (!taken.Add((int)slot))
                slot = (slot + 1) % OidSlots;
            var relation = new CatalogRelation(definition, FirstUserOid + ((int)slot * 4));
            relations.Add(relation);
            _byOid[relation.Oid] = relation;
            _byName[definition.Name] = relation;
        }
        Relations = relations;
    }

    public IReadOnlyList<CatalogRelation> Relations { get; }

    public string User { get; }

    public string Database { get; }

    public IReadOnlyDictionary<string, string> Settings { get; }

    public bool TryGetRelation(int oid, out CatalogRelation relation) => _byOid.TryGetValue(oid, out relation!);

    public bool TryGetRelation(string name, out CatalogRelation relation) =>
        _byName.TryGetValue(name, out relation!);

    /// <summary>The bytes a relation's log holds on disk (pg_table_size), 0 when unknown.</summary>
    public long RelationBytes(string name) => _relationBytes?.Invoke(name) ?? 0;

    private static uint Fnv1a(string name)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(name))
            hash = (hash ^ b) * 16777619u;
        return hash;
    }
}
