using System.Text;
using Query.PgWire.Types;

namespace Query.PgWire.Tests.Fakes;

public sealed class FakeStatement : IPgStatement
{
    private readonly Func<PgValues, CancellationToken, IPgResult> _execute;

    private FakeStatement(int[] parameters, IReadOnlyList<PgColumn>? columns, Func<PgValues, CancellationToken,
        IPgResult> execute)
    {
        ParameterTypeOids = parameters;
        Columns = columns;
        _execute = execute;
    }

    public IReadOnlyList<int> ParameterTypeOids { get; }
    public IReadOnlyList<PgColumn>? Columns { get; }

    public ValueTask<IPgResult> ExecuteAsync(PgValues parameters, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_execute(parameters, cancellationToken));

    public static FakeStatement Command(string tag) => new([], null, (_, _) => new PgCommandResult(tag));

    public static FakeStatement Rows(PgColumn[] columns, List<object?[]> rows) =>
        new([], columns, (_, _) => new FakeListResult(rows));

    public static FakeStatement Push(FakeDatabase database, int limit) =>
        new([], FakeDatabase.TickColumns, (_, ct) => new FakePushResult(database, limit));

    /// <summary><c>SELECT a, b, …</c> over parameters and literals, evaluated at execute time.</summary>
    public static FakeStatement Projection(string list, int offset, ReadOnlySpan<int> declared)
    {
        var items = SplitItems(list);
        var parameterOids = new List<int>(declared.ToArray());
        var columns = new PgColumn[items.Count];
        var evaluators = new Func<PgValues, object?>[items.Count];
        for (int i = 0; i < items.Count; i++)
            (columns[i], evaluators[i]) = Item(items[i].Text, offset + items[i].Offset, parameterOids);
        for (int i = 0; i < parameterOids.Count; i++)
        {
            if (parameterOids[i] == 0)
                parameterOids[i] = PgTypeOid.Text;
        }
        return new([.. parameterOids], columns, (p, _) =>
        {
            var row = new object?[evaluators.Length];
            for (int i = 0; i < row.Length; i++)
                row[i] = evaluators[i](p);
            return new FakeListResult([row]);
        });
    }

    private static (PgColumn, Func<PgValues, object?>) Item(string item, int position, List<int> parameterOids)
    {
        if (item.Equals("boom()", StringComparison.OrdinalIgnoreCase))
            return (new PgColumn("boom", PgTypeOid.Int4), _ => throw new PgException("22012", "division by zero"));
        int cast = item.IndexOf("::", StringComparison.Ordinal);
        string expression = cast < 0 ? item : item[..cast];
        int castOid = cast < 0 ? 0 : TypeByName(item[(cast + 2)..], position + cast + 2);
        if (expression.StartsWith('$') && int.TryParse(expression[1..], out int n) && n >= 1)
        {
            while (parameterOids.Count < n)
                parameterOids.Add(0);
            if (parameterOids[n - 1] == 0 && castOid != 0)
                parameterOids[n - 1] = castOid;
            int oid = castOid != 0 ? castOid : parameterOids[n - 1] == 0 ? PgTypeOid.Text : parameterOids[n - 1];
            return (new PgColumn("?column?", oid), p => FakeValues.Decode(p, n - 1));
        }
        if (expression.Length >= 2 && expression[0] == '\'' && expression[^1] == '\'')
        {
            var literal = Encoding.UTF8.GetBytes(expression[1..^1].Replace("''", "'"));
            int oid = castOid != 0 ? castOid : PgTypeOid.Text;
            return (new PgColumn(cast < 0 ? "?column?" : TypeName(oid), oid), _ =>
            {
                var values = new PgValues();
                values.Reset(1);
                values.Set(0, literal, false, false, oid);
                return FakeValues.Decode(values, 0);
            }
            );
        }
        if (int.TryParse(expression, out int number))
            return (new PgColumn("?column?", castOid != 0 ? castOid : PgTypeOid.Int4), _ => number);
        throw PgException.Syntax($"syntax error at or near \"{expression}\"", position);
    }

    private static string TypeName(int oid) => PgTypeTable.Get(oid).Name;

    private static int TypeByName(string name, int position)
    {
        var normalized = name.Trim().ToLowerInvariant();
        bool array = normalized.EndsWith("[]", StringComparison.Ordinal);
        if (array)
            normalized = normalized[..^2];
        normalized = normalized switch
        {
            "boolean" => "bool",
            "smallint" => "int2",
            "int" or "integer" => "int4",
            "bigint" => "int8",
            "real" => "float4",
            "double" => "float8",
            "decimal" => "numeric",
            _ => normalized,
        };
        foreach (var type in PgTypeTable.All)
        {
            if (type.Name == normalized)
                return array ? type.ArrayOid : type.Oid;
        }
        throw new PgException(PgSqlState.UndefinedObject, $"type \"{name}\" does not exist", position: position);
    }

    private static List<(string Text, int Offset)> SplitItems(string list)
    {
        var items = new List<(string, int)>();
        int start = 0;
        bool quoted = false;
        for (int i = 0; i <= list.Length; i++)
        {
            if (i < list.Length && list[i] == '\'')
                quoted = !quoted;
            if (i == list.Length || (!quoted && list[i] == ','))
            {
                var raw = list[start..i];
                int lead = raw.Length - raw.TrimStart().Length;
                items.Add((raw.Trim(), start + lead));
                start = i + 1;
            }
        }
        return items;
    }
}
