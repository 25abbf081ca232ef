using Query.Tiering.Layout;

namespace Query.Tiering.Parquet;

/// <summary>Checks up front that a layout's columns can be written as cold files.</summary>
public static class ColdFileSchemaCheck
{
    /// <summary>Throws <see cref="TieringSchemaException"/> for a reserved or case-clashing column name.</summary>
    public static void Validate(IReadOnlyList<ColdColumn> columns) => ColdFileSchema.ValidateNames(columns);
}
