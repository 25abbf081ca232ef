using Query.Engine.Types;

namespace Query.Engine.Binding;

/// <summary>A named, typed column of a result or a source.</summary>
public sealed record ColumnInfo(string Name, SqlType Type);
