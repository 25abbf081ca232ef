using Query.Engine.Errors;
using Query.Engine.Tiering;
using Ast = Query.Grammar.Ast;

namespace Query.Engine.Statements;

/// <summary>
/// Tiering's stream properties: TIERED (TRUE | FALSE), LOCAL_RETENTION_MS and LOCAL_RETENTION_BYTES (how long and
/// how much stays in the hot log; -1: no limit of that kind). RETENTION_MS / RETENTION_BYTES, parsed with the
/// log's options, are the total retention over both tiers. A local limit above the total one is refused, as
/// Kafka refuses local.retention.ms above retention.ms.
/// </summary>
internal sealed partial class StreamProperties
{
    /// <summary>TIERED and LOCAL_RETENTION_* (each null when not given).</summary>
    public StreamTiering Tiering { get; private set; } = StreamTiering.Unset;

    private bool TryApplyTiering(string name, Ast.Literal value, int position)
    {
        switch (name)
        {
            case "TIERED":
                Tiering = Tiering with { Enabled = Boolean(value, name, position) };
                return true;
            case "LOCAL_RETENTION_MS":
                Tiering = Tiering with { LocalRetentionMs = Number(value, name, position, -1, long.MaxValue) };
                return true;
            case "LOCAL_RETENTION_BYTES":
                Tiering = Tiering with { LocalRetentionBytes = Number(value, name, position, -1, long.MaxValue) };
                return true;
            default:
                return false;
        }
    }

    private static bool Boolean(Ast.Literal value, string name, int position) => value switch
    {
        Ast.BooleanLiteral b => b.Value,
        Ast.StringLiteral t when bool.TryParse(t.Value, out var parsed) => parsed,
        _ => throw Invalid(name, value.ToString(), "TRUE or FALSE", position),
    };

    private void CheckTiering(int position)
    {
        if (Given.Contains("RETENTION_MS"))
            CheckLocalBelowTotal("LOCAL_RETENTION_MS", Tiering.LocalRetentionMs, "RETENTION_MS", LogOptions.RetentionMs,
                position);
        if (Given.Contains("RETENTION_BYTES"))
            CheckLocalBelowTotal("LOCAL_RETENTION_BYTES", Tiering.LocalRetentionBytes, "RETENTION_BYTES",
                LogOptions.RetentionBytes, position);
    }

    /// <summary>22023 when a local limit is unlimited or larger while the total one is set.</summary>
    public static void CheckLocalBelowTotal(string localName, long? local, string totalName, long total,
        int position)
    {
        if (local is not { } value || total < 0 || (value >= 0 && value <= total))
            return;
        throw new SqlException(SqlState.InvalidParameterValue,
            $"{localName} ({value}) must not exceed {totalName} ({total}): data leaves the hot log before it "
            + "expires", position: position);
    }
}
