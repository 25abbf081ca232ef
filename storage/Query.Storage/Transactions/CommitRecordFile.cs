using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Query.Storage.Format;
using Query.Storage.Native;

namespace Query.Storage.Transactions;

/// <summary>
/// The store's file <c>transactions</c>: an append-only sequence of commit records, each naming every
/// partition's share of one multi-partition transaction (log, partition, end offset, and for a staged share the
/// renames that put its segments into the chain). A record is the transaction's commit point: it is appended
/// and fdatasynced only after every share is durable, and a record with a bad length or CRC ends the file (a
/// torn append: its transaction never committed). See storage/FORMAT.md.
/// <code>
/// file:   uint32 magic "QTXN" | int32 version 1 | records...
/// record: int32 bodyLength | uint32 crc32c(body) | body
/// body:   int32 count | count x (uint16 nameLength, name UTF-8, int32 partition, int64 endOffset,
///         uint16 renameCount, renameCount x (uint16 length, from UTF-8, uint16 length, to UTF-8))
/// </code>
/// </summary>
internal sealed class CommitRecordFile : IDisposable
{
    public const string FileName = "transactions";
    private const uint Magic = 0x4E585451;   // "QTXN"
    private const int Version = 1;
    private const int FileHeaderBytes = 8;
    private const int RecordHeaderBytes = 8;
    private const int MaxRecordBytes = 64 << 20;

    internal sealed record Entry(string Log, int Partition, long EndOffset, IReadOnlyList<(string From, string To)>
        Renames);

    private readonly SafeFileHandle _handle;

    private CommitRecordFile(SafeFileHandle handle, long sizeBytes)
    {
        _handle = handle;
        SizeBytes = sizeBytes;
    }

    public long SizeBytes { get; private set; }

    /// <summary>Reads every whole record (in file order) and cuts a torn last one off.</summary>
    public static CommitRecordFile Open(string directory, out List<Entry> entries)
    {
        var path = Path.Combine(directory, FileName);
        var created = !File.Exists(path);
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var length = RandomAccess.GetLength(handle);
            if (length < FileHeaderBytes)
                return Create(directory, handle, created, out entries);
            var bytes = new byte[length];
            RandomAccess.Read(handle, bytes, 0);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic
                || BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)) != Version)
                throw new CorruptSegmentException(path, 0, "not a transactions file of version 1");
            var end = Parse(bytes, out entries);
            if (end < length)
            {
                RandomAccess.SetLength(handle, end);
                FileSync.DataSync(handle);
            }
            return new CommitRecordFile(handle, end);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Replaces the file with one record holding <paramref name="entries"/> (temporary file, fsync,
    /// rename, directory fsync), so that it does not grow without bound.</summary>
    public static CommitRecordFile Rewrite(string directory, CommitRecordFile? current,
        IReadOnlyCollection<Entry> entries)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var file = new CommitRecordFile(handle, 0);
            file.WriteHeader();
            if (entries.Count > 0)
                file.Append([entries], sync: false, out _);
            FileSync.DataSync(handle);
            current?.Dispose();
            File.Move(temporary, path, overwrite: true);
            FileSync.SyncDirectory(directory);
            return file;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Appends records (one per transaction) with one write; durable when <paramref name="sync"/>. On an
    /// error the file is cut back to its old size if possible and the error rethrown; <paramref name="uncertain"/>
    /// then says whether the records may still reach the disk.</summary>
    public void Append(IReadOnlyList<IReadOnlyCollection<Entry>> records, bool sync, out bool uncertain)
    {
        var encoded = new List<byte[]>(records.Count);
        var total = 0;
        foreach (var entries in records)
        {
            encoded.Add(Encode(entries));
            total += encoded[^1].Length;
        }
        var record = new byte[total];
        var at = 0;
        foreach (var bytes in encoded)
        {
            bytes.CopyTo(record, at);
            at += bytes.Length;
        }
        var start = SizeBytes;
        uncertain = false;
        try
        {
            RandomAccess.Write(_handle, record, start);
        }
        catch (IOException)
        {
            try
            {
                RandomAccess.SetLength(_handle, start);
            }
            catch (IOException)
            {
                uncertain = true;
            }
            throw;
        }
        SizeBytes = start + record.Length;
        if (!sync)
            return;
        try
        {
            FileSync.DataSync(_handle);
        }
        catch (IOException)
        {
            uncertain = true;   // the kernel may have written some of it, or dropped it
            throw;
        }
    }

    public void Dispose() => _handle.Dispose();

    private static CommitRecordFile Create(string directory, SafeFileHandle handle, bool created,
        out List<Entry> entries)
    {
        entries = [];
        var file = new CommitRecordFile(handle, 0);
        RandomAccess.SetLength(handle, 0);
        file.WriteHeader();
        FileSync.DataSync(handle);
        if (created)
            FileSync.SyncDirectory(directory);
        return file;
    }

    private void WriteHeader()
    {
        Span<byte> header = stackalloc byte[FileHeaderBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], Version);
        RandomAccess.Write(_handle, header, 0);
        SizeBytes = FileHeaderBytes;
    }

    private static byte[] Encode(IReadOnlyCollection<Entry> entries)
    {
        var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(entries.Count);
            foreach (var entry in entries)
            {
                WriteString(writer, entry.Log);
                writer.Write(entry.Partition);
                writer.Write(entry.EndOffset);
                writer.Write(checked((ushort)entry.Renames.Count));
                foreach (var (from, to) in entry.Renames)
                {
                    WriteString(writer, from);
                    WriteString(writer, to);
                }
            }
        }
        var record = new byte[RecordHeaderBytes + body.Length];
        body.ToArray().CopyTo(record, RecordHeaderBytes);
        BinaryPrimitives.WriteInt32LittleEndian(record, (int)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), Crc32C.Compute(record.AsSpan(RecordHeaderBytes)));
        return record;
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write(checked((ushort)bytes.Length));
        writer.Write(bytes);
    }

    // Returns the file position after the last whole record.
    private static long Parse(byte[] bytes, out List<Entry> entries)
    {
        entries = [];
        var position = FileHeaderBytes;
        while (bytes.Length - position >= RecordHeaderBytes)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(position));
            if (length <= 0 || length > MaxRecordBytes || length > bytes.Length - position - RecordHeaderBytes)
                break;
            var body = bytes.AsSpan(position + RecordHeaderBytes, length);
            if (Crc32C.Compute(body) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 4))
                || !TryDecode(body, entries))
                break;
            position += RecordHeaderBytes + length;
        }
        return position;
    }

    private static bool TryDecode(ReadOnlySpan<byte> body, List<Entry> entries)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(body.ToArray()), Encoding.UTF8);
            var count = reader.ReadInt32();
            var decoded = new List<Entry>(count);
            for (var i = 0; i < count; i++)
            {
                var log = ReadString(reader);
                var partition = reader.ReadInt32();
                var endOffset = reader.ReadInt64();
                var renames = new (string, string)[reader.ReadUInt16()];
                for (var r = 0; r < renames.Length; r++)
                    renames[r] = (ReadString(reader), ReadString(reader));
                decoded.Add(new Entry(log, partition, endOffset, renames));
            }
            entries.AddRange(decoded);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    private static string ReadString(BinaryReader reader) =>
        Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadUInt16()));
}
