using System.Text.Json;
using Query.Engine.Binding;
using Query.Engine.Errors;
using Query.Engine.Types;

namespace Query.Engine.Catalog;

/// <summary>
/// The durable catalog: every stream and table definition in <c>catalog.json</c> under the data directory. Each change
/// rewrites the whole file through a temporary file, fsync, an atomic rename and a directory fsync, so a crash
/// (or power loss) leaves either the old or the new catalog, never a torn one. Types are stored as their SQL
/// text (<see cref="SqlTypeParser"/>).
/// </summary>
public sealed class CatalogStore
{
    private const string FileName = "catalog.json";
    private readonly string _path;
    private readonly object _lock = new();
    private Dictionary<string, StreamDefinition> _streams;

    private CatalogStore(string directory, Dictionary<string, StreamDefinition> streams)
    {
        _path = Path.Combine(directory, FileName);
        _streams = streams;
    }

    public static CatalogStore Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        var streams = new Dictionary<string, StreamDefinition>(StringComparer.Ordinal);
        var migrate = false;
        if (File.Exists(path))
        {
            try
            {
                var file = JsonSerializer.Deserialize<CatalogFile>(File.ReadAllBytes(path))
                    ?? throw new JsonException("empty catalog");
                foreach (var entry in file.Streams)
                {
                    var definition = entry.ToDefinition();
                    if (file.Version < CatalogMigration.CurrentVersion)
                        definition = CatalogMigration.Migrate(definition);
                    streams[definition.Name] = definition;
                }
                migrate = file.Version < CatalogMigration.CurrentVersion;
            }
            catch (Exception e) when (e is JsonException or SqlException or KeyNotFoundException or ArgumentException)
            {
                throw new SqlException(SqlState.DataCorrupted, $"catalog file {path} is unreadable: {e.Message}");
            }
        }
        var store = new CatalogStore(directory, streams);
        if (migrate)
            store.Persist(streams);
        return store;
    }

    public IReadOnlyList<StreamDefinition> Streams
    {
        get
        {
            lock (_lock)
            {
                var list = new List<StreamDefinition>(_streams.Values);
                list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                return list;
            }
        }
    }

    public bool TryGet(string name, out StreamDefinition definition)
    {
        lock (_lock)
            return _streams.TryGetValue(name, out definition!);
    }

    /// <summary>Adds or replaces a definition and persists the catalog before returning.</summary>
    public void Put(StreamDefinition definition)
    {
        lock (_lock)
        {
            var next = new Dictionary<string, StreamDefinition>(_streams, StringComparer.Ordinal)
            {
                [definition.Name] = definition,
            };
            Persist(next);
            _streams = next;
        }
    }

    public bool Remove(string name)
    {
        lock (_lock)
        {
            if (!_streams.ContainsKey(name))
                return false;
            var next = new Dictionary<string, StreamDefinition>(_streams, StringComparer.Ordinal);
            next.Remove(name);
            Persist(next);
            _streams = next;
            return true;
        }
    }

    private void Persist(Dictionary<string, StreamDefinition> streams)
    {
        var file = new CatalogFile { Version = CatalogMigration.CurrentVersion };
        foreach (var definition in streams.Values)
            file.Streams.Add(CatalogEntry.From(definition));
        var temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, file, new JsonSerializerOptions { WriteIndented = true });
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
        Query.Storage.DirectorySync.Sync(Path.GetDirectoryName(_path)!);
    }

    private sealed class CatalogFile
    {
        public int Version { get; set; }

        public List<CatalogEntry> Streams { get; set; } = [];
    }

    private sealed class CatalogEntry
    {
        public string Name { get; set; } = "";
        public string Kind { get; set; } = "STREAM";
        public List<string> ColumnNames { get; set; } = [];
        public List<string> ColumnTypes { get; set; } = [];
        public int KeyColumn { get; set; } = -1;

        /// <summary>Every key column in key order; absent (null) in a catalog written before several key columns,
        /// whose one key column is <see cref="KeyColumn"/>.</summary>
        public List<int>? KeyColumns { get; set; }

        public string? KeyDelimiter { get; set; }
        public int TimestampColumn { get; set; } = -1;
        public string ValueFormat { get; set; } = "BINARY";
        public string KeyFormat { get; set; } = "KAFKA";
        public string ValueDelimiter { get; set; } = ",";
        public bool WrapSingleValue { get; set; } = true;
        public string? TimestampFormat { get; set; }
        public List<int> HeaderColumns { get; set; } = [];
        public List<string?> HeaderKeys { get; set; } = [];
        public string LogName { get; set; } = "";
        public int Partitions { get; set; } = 1;
        public long RetentionMs { get; set; } = -1;
        public long CreatedAtMs { get; set; }
        public long RetentionBytes { get; set; } = -1;
        public bool? Tiered { get; set; }
        public long? LocalRetentionMs { get; set; }
        public long? LocalRetentionBytes { get; set; }
        public string? WindowType { get; set; }
        public long WindowSizeMs { get; set; }
        public long? WindowRetentionMs { get; set; }

        public static CatalogEntry From(StreamDefinition definition)
        {
            var entry = new CatalogEntry
            {
                Name = definition.Name,
                Kind = definition.Kind.ToString().ToUpperInvariant(),
                KeyColumn = definition.KeyColumn,
                KeyColumns = definition.KeyColumns.Count > 1 ? [.. definition.KeyColumns] : null,
                KeyDelimiter = definition.KeyDelimiter == ',' ? null : definition.KeyDelimiter.ToString(),
                TimestampColumn = definition.TimestampColumn,
                ValueFormat = definition.ValueFormat.ToString().ToUpperInvariant(),
                KeyFormat = definition.KeyFormat.ToString().ToUpperInvariant(),
                ValueDelimiter = definition.ValueDelimiter.ToString(),
                WrapSingleValue = definition.WrapSingleValue,
                TimestampFormat = definition.TimestampFormat,
                LogName = definition.LogName,
                Partitions = definition.Partitions,
                RetentionMs = definition.RetentionMs,
                CreatedAtMs = definition.CreatedAtMs,
                RetentionBytes = definition.RetentionBytes,
                Tiered = definition.Tiering.Enabled,
                LocalRetentionMs = definition.Tiering.LocalRetentionMs,
                LocalRetentionBytes = definition.Tiering.LocalRetentionBytes,
                WindowType = definition.Window?.Kind.ToString().ToUpperInvariant(),
                WindowSizeMs = definition.Window?.SizeMs ?? 0,
                WindowRetentionMs = definition.WindowRetentionMs,
            };
            foreach (var column in definition.Columns)
            {
                entry.ColumnNames.Add(column.Name);
                entry.ColumnTypes.Add(column.Type.ToString());
            }
            foreach (var header in definition.Headers)
            {
                entry.HeaderColumns.Add(header.Column);
                entry.HeaderKeys.Add(header.Key);
            }
            return entry;
        }

        public StreamDefinition ToDefinition()
        {
            var columns = new ColumnInfo[ColumnNames.Count];
            for (var i = 0; i < columns.Length; i++)
                columns[i] = new ColumnInfo(ColumnNames[i], SqlTypeParser.Parse(ColumnTypes[i]));
            return new StreamDefinition(Name, columns, KeyColumn, TimestampColumn,
                Enum.Parse<Catalog.ValueFormat>(ValueFormat, ignoreCase: true), LogName, Partitions, RetentionMs,
                CreatedAtMs)
            {
                Kind = Enum.Parse<RelationKind>(Kind, ignoreCase: true),
                KeyFormat = Enum.Parse<Catalog.KeyFormat>(KeyFormat, ignoreCase: true),
                KeyColumns = KeyColumns is { Count: > 1 } keys ? CheckedKeys(keys, columns.Length)
                    : KeyColumn >= 0 ? [KeyColumn] : [],
                KeyDelimiter = KeyDelimiter is { Length: 1 } delimiter ? delimiter[0] : ',',
                ValueDelimiter = ValueDelimiter.Length == 1 ? ValueDelimiter[0] : ',',
                WrapSingleValue = WrapSingleValue,
                TimestampFormat = TimestampFormat,
                RetentionBytes = RetentionBytes,
                Tiering = new Tiering.StreamTiering(Tiered, LocalRetentionMs, LocalRetentionBytes),
                Headers = [.. HeaderColumns.Select((column, i) => new HeaderColumn(column,
                    i < HeaderKeys.Count ? HeaderKeys[i] : null))],
                Window = WindowType is null ? null
                    : new TableWindow(Enum.Parse<WindowKind>(WindowType, ignoreCase: true), WindowSizeMs),
                WindowRetentionMs = WindowType is null ? null : WindowRetentionMs,
            };
        }

        /// <summary>Stored key columns: each a column, none twice, the first <see cref="KeyColumn"/>.</summary>
        private List<int> CheckedKeys(List<int> keys, int columnCount)
        {
            if (keys[0] != KeyColumn || keys.Any(k => k < 0 || k >= columnCount)
                || keys.Distinct().Count() != keys.Count)
                throw new JsonException(
                    $"stream {Name}: key columns [{string.Join(", ", keys)}] do not fit its columns");
            return keys;
        }
    }
}
