namespace Query.Tiering;

/// <summary>A stream's schema cannot be written as cold files (a reserved or clashing column name).</summary>
public sealed class TieringSchemaException(string message) : Exception(message);
