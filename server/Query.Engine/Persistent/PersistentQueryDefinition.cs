namespace Query.Engine.Persistent;

/// <summary>What kind of statement made a persistent query; its id starts with the kind (as in ksqlDB).</summary>
public enum PersistentQueryKind
{
    /// <summary>CREATE STREAM ... AS SELECT (id CSAS_name_n).</summary>
    Csas,
    /// <summary>CREATE TABLE ... AS SELECT (id CTAS_name_n).</summary>
    Ctas,
    /// <summary>INSERT INTO ... SELECT (id INSERTQUERY_n).</summary>
    InsertInto,
}

/// <summary>
/// A persistent query as the catalog keeps it: enough to plan it again from its SQL text on every engine start.
/// <see cref="ReplayFromEarliest"/> is the session's 'auto.offset.reset' when it was created; it matters only until
/// the query's first commit (the creation writes one), after which the query resumes from its committed offsets.
/// </summary>
/// <param name="Id">ksqlDB-style id (CSAS_OUT_1).</param>
/// <param name="Kind">The statement kind.</param>
/// <param name="Sql">The statement text as the user wrote it.</param>
/// <param name="Sink">The stream or table the query writes.</param>
/// <param name="Source">The stream the query reads.</param>
/// <param name="ReplayFromEarliest">'auto.offset.reset' = 'earliest' at creation.</param>
/// <param name="CreatedAtMs">Creation time, epoch ms.</param>
public sealed record PersistentQueryDefinition(string Id, PersistentQueryKind Kind, string Sql, string Sink,
    string Source, bool ReplayFromEarliest, long CreatedAtMs)
{
    /// <summary>The internal log holding the query's committed source offsets (one record per commit).</summary>
    public string CheckpointLogName => $"_query_{LogSafeId}_offsets";

    /// <summary>The internal log holding a CTAS's aggregate state changelog (key: group key; value: state).</summary>
    public string StateLogName => $"_query_{LogSafeId}_state";

    // Ids carry the sink's name, which may hold characters a log name cannot; ids are unique by their number.
    private string LogSafeId
    {
        get
        {
            var chars = Id.ToCharArray();
            for (var i = 0; i < chars.Length; i++)
            {
                if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] is not '_' and not '-')
                    chars[i] = '_';
            }
            var safe = new string(chars);
            return safe.Length <= 150 ? safe : safe[..75] + safe[^75..];
        }
    }
}
