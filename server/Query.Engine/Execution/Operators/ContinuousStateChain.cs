using System.Buffers;
using Query.Engine.Errors;
using Query.Engine.Execution.Operators.Joins;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// The state of a persistent query with several stateful operators (a multi-way join of streams has one
/// stream-stream join operator per step): one state log, each operator's keys prefixed with its number (the order
/// the operators are built in, which a plan fixes), so each restores its own entries. A query with one stateful
/// operator keeps that operator's keys as they are.
/// </summary>
internal sealed class ContinuousStateChain : IContinuousAggregate
{
    private readonly List<IContinuousAggregate> _parts;
    private readonly ArrayBufferWriter<byte> _key = new(32);

    public ContinuousStateChain(IContinuousAggregate first, IContinuousAggregate second) => _parts = [first, second];

    public void Add(IContinuousAggregate part)
    {
        if (_parts.Count > byte.MaxValue)
            throw SqlException.FeatureNotSupported("more than 256 stateful operators in one query");
        _parts.Add(part);
    }

    public bool HasChanges => _parts.Exists(static p => p.HasChanges);

    public bool HasPendingOutput => _parts.Exists(static p => p.HasPendingOutput);

    public long LateRecordsDropped
    {
        get
        {
            long late = 0;
            foreach (var part in _parts)
                late += part.LateRecordsDropped;
            return late;
        }
    }

    /// <summary>Entries a snapshot writes: rows held by the stream-stream joins, an aggregate's groups, a windowed
    /// aggregate's weight (what the snapshot cadence compares the log's length with).</summary>
    public long SnapshotWeight
    {
        get
        {
            long weight = 0;
            foreach (var part in _parts)
            {
                weight += part switch
                {
                    StreamStreamJoinOperator join => join.RowsHeld,
                    ContinuousAggregateOperator aggregate => aggregate.GroupCount,
                    Windows.WindowedAggregateOperator windowed => windowed.SnapshotWeight,
                    _ => 0,
                };
            }
            return weight;
        }
    }

    public void WriteChanges(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write)
    {
        for (var i = 0; i < _parts.Count; i++)
            _parts[i].WriteChanges(Prefixed(i, write));
    }

    /// <summary>A snapshot: every operator's whole state. The log before a snapshot is no longer replayed, so
    /// every part that keeps state writes all of it (an aggregate over a join writes every group, not only those
    /// changed since the last commit); the table joins keep no state log entries.</summary>
    public void WriteAll(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write)
    {
        for (var i = 0; i < _parts.Count; i++)
        {
            var prefixed = Prefixed(i, write);
            switch (_parts[i])
            {
                case StreamStreamJoinOperator join:
                    join.WriteAll(prefixed);
                    break;
                case ContinuousAggregateOperator aggregate:
                    aggregate.WriteAll(prefixed);
                    break;
                case Windows.WindowedAggregateOperator windowed:
                    windowed.WriteAll(prefixed);
                    break;
                default:
                    _parts[i].WriteChanges(prefixed);
                    break;
            }
        }
    }

    public void Restore(ReadOnlySpan<byte> key, ReadOnlySpan<byte> state)
    {
        if (key.IsEmpty || key[0] >= _parts.Count)
            throw new SqlException(SqlState.DataCorrupted, "a state log entry names no operator of its query");
        _parts[key[0]].Restore(key[1..], state);
    }

    private Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> Prefixed(int part,
        Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write) => (key, value) =>
    {
        _key.ResetWrittenCount();
        _key.GetSpan(1)[0] = (byte)part;
        _key.Advance(1);
        _key.Write(key.Span);
        write(_key.WrittenMemory, value);
    };
}
