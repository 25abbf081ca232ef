using System.Buffers;
using System.Buffers.Binary;
using Query.Engine.Format;
using Query.Engine.Functions;
using Query.Engine.Types;

namespace Query.Engine.Execution.Operators;

/// <summary>
/// A flat group's state in the bytes its accumulator writes (<see cref="Accumulator.Serialize"/>): COUNT its count;
/// SUM and AVG the sum then the count; MIN, MAX and the change time a presence byte, then the value in the nested
/// value format (4 bytes for INT, DATE, TIME; 8 for BIGINT, TIMESTAMP, DOUBLE). A persistent query's state log
/// written before the state was flat restores unchanged, and the other way round.
/// </summary>
internal sealed partial class FlatAggregates
{
    /// <summary>Writes aggregate <paramref name="aggregate"/>'s state of group <paramref name="group"/>.</summary>
    public void Serialize(int group, int aggregate, IBufferWriter<byte> writer)
    {
        var at = (group * _stride) + (2 * aggregate);
        var (value, count) = (_slots[at], _slots[at + 1]);
        switch (_kinds[aggregate])
        {
            case Kind.CountAll or Kind.CountValues:
                AccumulatorState.WriteInt64(writer, count);
                break;
            case Kind.SumInt64 or Kind.SumDouble or Kind.AvgDouble:
                var span = writer.GetSpan(16);
                BinaryPrimitives.WriteInt64LittleEndian(span, value);
                BinaryPrimitives.WriteInt64LittleEndian(span[8..], count);
                writer.Advance(16);
                break;
            default:
                var width = ValueWidth(aggregate);
                var cell = writer.GetSpan(1 + width);
                cell[0] = count > 0 ? (byte)1 : (byte)0;
                if (count == 0)
                    width = 0;
                else if (width == 4)
                    BinaryPrimitives.WriteInt32LittleEndian(cell[1..], (int)value);
                else
                    BinaryPrimitives.WriteInt64LittleEndian(cell[1..], value);
                writer.Advance(1 + width);
                break;
        }
    }

    /// <summary>Replaces group <paramref name="group"/>'s state of aggregate <paramref name="aggregate"/> by one
    /// written by <see cref="Serialize"/> (or by the aggregate's accumulator).</summary>
    public void Restore(int group, int aggregate, ReadOnlySpan<byte> state)
    {
        var at = (group * _stride) + (2 * aggregate);
        var position = 0;
        switch (_kinds[aggregate])
        {
            case Kind.CountAll or Kind.CountValues:
                _slots[at] = 0;
                _slots[at + 1] = AccumulatorState.ReadInt64(state, ref position);
                break;
            case Kind.SumInt64 or Kind.SumDouble or Kind.AvgDouble:
                _slots[at] = AccumulatorState.ReadInt64(state, ref position);
                _slots[at + 1] = AccumulatorState.ReadInt64(state, ref position);
                break;
            default:
                if (state.Length < 1)
                    throw NestedValueCodec.Corrupt();
                if (state[0] == 0)
                {
                    (_slots[at], _slots[at + 1]) = (0, 0);
                    break;
                }
                var width = ValueWidth(aggregate);
                if (state.Length < 1 + width)
                    throw NestedValueCodec.Corrupt();
                _slots[at] = width == 4 ? BinaryPrimitives.ReadInt32LittleEndian(state[1..])
                    : BinaryPrimitives.ReadInt64LittleEndian(state[1..]);
                _slots[at + 1] = 1;
                break;
        }
    }

    // The change time's type defaults to BIGINT, as its accumulator's does.
    private int ValueWidth(int aggregate) =>
        _inputTypes[aggregate]?.Kind is SqlTypeKind.Int or SqlTypeKind.Date or SqlTypeKind.Time ? 4 : 8;
}
