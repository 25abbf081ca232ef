using Query.PgWire.Types;

namespace Query.PgWire.Compat;

/// <summary>A result the wire layer computes itself for a recognised client catalog query.</summary>
internal sealed class CatalogAnswer
{
    public CatalogAnswer(PgColumn[] columns, Func<PgValues, List<object?[]>> rows, int[]? parameterOids = null)
    {
        Columns = columns;
        Rows = rows;
        ParameterOids = parameterOids ?? [];
    }

    public PgColumn[] Columns { get; }
    public int[] ParameterOids { get; }
    public Func<PgValues, List<object?[]>> Rows { get; }

    public static CatalogAnswer Empty(params string[] names)
    {
        var columns = new PgColumn[names.Length];
        for (int i = 0; i < names.Length; i++)
            columns[i] = new PgColumn(names[i], PgTypeOid.Text);
        return new CatalogAnswer(columns, _ => []);
    }

    public static CatalogAnswer Single(string name, int oid, object? value) =>
        new([new PgColumn(name, oid)], _ => [[value]]);
}

/// <summary>What catalog answers may consult: the session's relations, settings and identity.</summary>
internal interface ICatalogSource
{
    IReadOnlyList<PgRelation> ListRelations();
    string? GetSetting(string name);
    string User { get; }
    string Database { get; }
    int ProcessId { get; }
    string VersionText { get; }
}
