namespace Query.Engine.SystemCatalog;

/// <summary>
/// The functions pg_catalog's regproc columns name: each type's I/O functions (<c>int4in</c>, <c>int4recv</c>,
/// <c>array_recv</c>, ...) and the access methods' handlers. They are pg_proc rows with OIDs, so a regproc column
/// holds an OID as in PostgreSQL and joins to pg_proc (Npgsql tells arrays apart by
/// <c>pg_proc.proname = 'array_recv'</c> joined on <c>typreceive</c>); <c>'array_in'::regproc</c> finds it by name.
/// They are not callable: the function registry is what queries call.
/// </summary>
internal static class InternalFunctions
{
    /// <summary>OIDs of these rows start here, below the registry's <see cref="PgCatalog.FirstFunctionOid"/>.</summary>
    public const int FirstOid = 6000;

    private static readonly Lazy<(Dictionary<string, int> ByName, List<(int Oid, string Name)> All)> Table =
        new(Build);

    /// <summary>Every internal function, in OID order.</summary>
    public static IReadOnlyList<(int Oid, string Name)> All => Table.Value.All;

    /// <summary>The OID of an internal function by name; 0 for <c>-</c> (none) or a name that is not one.</summary>
    public static int OidOf(string name) => Table.Value.ByName.GetValueOrDefault(name);

    public static string? NameOf(int oid) =>
        oid >= FirstOid && oid - FirstOid < All.Count ? All[oid - FirstOid].Name : null;

    private static (Dictionary<string, int>, List<(int, string)>) Build()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal)
        {
            "array_in", "array_out", "array_recv", "array_send", "array_subscript_handler", "record_in",
            "record_out", "record_recv", "record_send", "heap_tableam_handler", "bthandler", "hashhandler",
        };
        foreach (var type in PgTypes.All)
        {
            if (type.IsArray && type.Name.StartsWith('_'))
                continue;
            foreach (var suffix in (string[])["in", "out", "recv", "send"])
                names.Add(type.Name + suffix);
        }
        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        var all = new List<(int, string)>();
        foreach (var name in names)
        {
            byName[name] = FirstOid + all.Count;
            all.Add((FirstOid + all.Count, name));
        }
        return (byName, all);
    }
}
