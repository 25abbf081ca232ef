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

    /// <summary>Rows held by the stream-stream joins (what a snapshot writes).</summary>
    public long RowsHeld
    {
        get
        {
            long held = 0;
            foreach (var part in _parts)
                held += part is StreamStreamJoinOperator join ? join.RowsHeld : 0;
            return held;
        }
    }

    public void WriteChanges(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write)
    {
        for (var i = 0; i < _parts.Count; i++)
            _parts[i].WriteChanges(Prefixed(i, write));
    }

    /// <summary>A snapshot: every operator's whole state (an operator without snapshots writes its changes).
    /// </summary>
    public void WriteAll(Action<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> write)
    {
        for (var i = 0; i < _parts.Count; i++)
        {
            if (_parts[i] is StreamStreamJoinOperator join)
                join.WriteAll(Prefixed(i, write));
            else
                _parts[i].WriteChanges(Prefixed(i, write));
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
