using System.Text;
using System.Text.Json;
using Npgsql;
using Query.Engine.Catalog;
using Query.Engine.Format;
using Query.Engine.Types;

namespace Query.Conformance;

/// <summary>
/// A running server over the PostgreSQL wire (Npgsql). The statements run on the server; a local engine (the
/// "shadow", on a temporary directory) runs the same DDL to know each stream's formats. The inputs are decoded
/// with the stream's formats and sent as INSERTs with ROWTIME (a record that does not decode cannot be sent and is
/// left out; headers and explicit partitions are not sent); output topics are read back with a pull query and
/// laid out in the sink's formats. Each case starts by dropping every stream on the server: use a scratch server.
/// Pull translation is in-process only, so persistent queries fail here until the server runs them.
/// </summary>
public sealed class WireTarget : ICaseTarget
{
    private readonly NpgsqlConnection _connection;
    private readonly InProcessTarget _shadow;

    private WireTarget(NpgsqlConnection connection, InProcessTarget shadow)
    {
        _connection = connection;
        _shadow = shadow;
    }

    public static async Task<WireTarget> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var target = new WireTarget(connection, await InProcessTarget.OpenAsync());
        await target.DropEverythingAsync();
        await target.ExecuteAsync("SET 'auto.offset.reset' = 'earliest'", 0);
        return target;
    }

    private async Task DropEverythingAsync()
    {
        await ExecuteAsync("TERMINATE ALL", 0);
        foreach (var kind in new[] { "TABLE", "STREAM" })
        {
            var names = await ExecuteAsync($"SHOW {kind}S", int.MaxValue);
            // Streams sharing a log refuse DROP ... DELETE TOPIC while another still reads it: drop those plainly.
            foreach (var row in names.Rows ?? [])
            {
                var name = Quote(row[0].GetString()!);
                var dropped = await ExecuteAsync($"DROP {kind} {name} DELETE TOPIC", 0);
                if (dropped.Failed)
                    await ExecuteAsync($"DROP {kind} {name}", 0);
            }
        }
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public async Task<StatementRun> ExecuteAsync(string text, int maxRows)
    {
        var run = await WireStatement.ExecuteAsync(_connection, text, maxRows);
        if (!run.Failed && run.Syntax is Grammar.Ast.CreateStream or Grammar.Ast.CreateStreamAsSelect
            or Grammar.Ast.DropSource or Grammar.Ast.AlterSourceAddColumns)
            await _shadow.ExecuteAsync(text, 0);
        return run;
    }

    public IReadOnlyList<StreamDefinition> ListStreams() => _shadow.ListStreams();

    /// <summary>Not over the wire: no statement creates a bare log, and the per-case cleanup (DROP ... DELETE TOPIC)
    /// only removes logs that streams declare, so a created topic would outlive its case. The server's sources have
    /// the partitions their CREATE gives.</summary>
    public Task CreateTopicAsync(string topic, int partitions) => Task.CompletedTask;

    public async Task ProduceAsync(StreamDefinition stream, QttInput input)
    {
        var cells = new Cell[stream.Columns.Count];
        // Binary rows are our own format: decode the input's JSON instead, as RecordSerde encoded it.
        var (codec, value) = stream.ValueFormat == ValueFormat.Binary
            ? (new RecordCodec(stream with { ValueFormat = ValueFormat.Json, WrapSingleValue = true }),
                input.ValueJson.ValueKind == JsonValueKind.Undefined ? []
                    : Encoding.UTF8.GetBytes(input.ValueJson.GetRawText()))
            : (new RecordCodec(stream), input.Value ?? []);
        if (!codec.TryDecode(input.Key, input.Key is not null, value, cells))
            return;
        var names = new StringBuilder();
        var values = new StringBuilder();
        await using var command = _connection.CreateCommand();
        for (var i = 0; i < cells.Length; i++)
        {
            var type = stream.Columns[i].Type;
            names.Append(Quote(stream.Columns[i].Name)).Append(", ");
            values.Append('$').Append(i + 1).Append(", ");
            var cell = cells[i].ToObject(type);
            command.Parameters.Add(new NpgsqlParameter
            {
                NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Unknown,
                Value = cell is null ? DBNull.Value : ValueText.Format(cell, type),
            });
        }
        command.Parameters.Add(new NpgsqlParameter { Value = input.TimestampMs });
        command.CommandText = $"INSERT INTO {Quote(stream.Name)} ({names}ROWTIME) VALUES ({values}${cells.Length + 1})";
        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<TopicRecord>?> ReadTopicAsync(string topic)
    {
        var stream = ListStreams().FirstOrDefault(s => IntendedDifferences.SameName(s.LogName, topic));
        if (stream is null)
            return null;
        var select = new StringBuilder("SELECT ROWTIME");
        foreach (var column in stream.Columns)
            select.Append(", TO_JSON_STRING(").Append(Quote(column.Name)).Append(')');
        select.Append(" FROM ").Append(Quote(stream.Name)).Append(" ORDER BY ROWPARTITION, ROWOFFSET");
        var rows = await WireStatement.ExecuteAsync(_connection, select.ToString(), int.MaxValue);
        if (rows.Failed)
            throw new InvalidOperationException($"reading {topic}: {rows.SqlState}: {rows.Error}");
        var asJson = new RecordCodec(stream with
        { ValueFormat = ValueFormat.Json, KeyColumn = -1, WrapSingleValue = true });
        var codec = new RecordCodec(stream);
        var records = new List<TopicRecord>();
        foreach (var row in rows.Rows!)
        {
            var json = new StringBuilder("{");
            for (var i = 0; i < stream.Columns.Count; i++)
            {
                json.Append(i == 0 ? "" : ",").Append(JsonSerializer.Serialize(stream.Columns[i].Name)).Append(':')
                    .Append(row[i + 1].GetString());
            }
            var cells = new Cell[stream.Columns.Count];
            asJson.TryDecode(default, false, Encoding.UTF8.GetBytes(json.Append('}').ToString()), cells);
            var value = new System.Buffers.ArrayBufferWriter<byte>();
            if (stream.ValueFormat == ValueFormat.Binary)
                BinaryRowFormat.Write(value, cells, stream.ColumnTypes());
            else
                codec.EncodeValue(value, cells);
            records.Add(new TopicRecord(RecordSerde.KeyJson(codec.EncodeKey(cells), stream),
                RecordSerde.ValueJson(value.WrittenSpan.ToArray(), stream), row[0].GetInt64()));
        }
        return records;
    }

    public async Task<string?> SettlePersistentQueriesAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var queries = await WireStatement.ExecuteAsync(_connection, "SHOW QUERIES EXTENDED", int.MaxValue);
            if (queries.Failed)
                return $"SHOW QUERIES: {queries.SqlState}: {queries.Error}";
            int Column(string name) => queries.ColumnNames!.FindIndex(
                c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
            var (id, status, lag, error) = (Column("QUERY_ID"), Column("STATUS"), Column("LAG"), Column("ERROR"));
            var failed = queries.Rows!.Where(r => r[status].GetString() == "ERROR")
                .Select(r => $"{(id >= 0 ? r[id].GetString() : "query")}: {r[error].GetString()}").ToList();
            if (failed.Count > 0)
                return string.Join("; ", failed);
            if (queries.Rows!.All(r => r[lag].GetInt64() == 0) || DateTime.UtcNow > deadline)
                return null;
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _shadow.DisposeAsync();
    }
}
