using System.Runtime.InteropServices;

namespace Query.Tiering.Parquet.Pages;

/// <summary>
/// Decompresses Parquet pages: UNCOMPRESSED, SNAPPY (Snappier, which Parquet.Net brings) and ZSTD, with the
/// system's libzstd when it loads (measured faster than the managed port Parquet.Net uses) and ZstdSharp
/// otherwise. One per reader (it holds a native decompression context); not thread-safe.
/// </summary>
internal sealed class PageDecompressor : IDisposable
{
    public const int Uncompressed = 0;
    public const int Snappy = 1;
    public const int Zstd = 6;

    private ZstdSharp.Decompressor? _managed;
    private IntPtr _context;

    /// <summary>Whether this reader decompresses ZSTD with the system library.</summary>
    public bool UsesNativeZstd => _context != IntPtr.Zero || (_managed is null && NativeZstd.IsAvailable);

    public static bool Supports(int codec) => codec is Uncompressed or Snappy or Zstd;

    /// <summary>Decompresses <paramref name="source"/> into exactly <paramref name="target"/>; false when the
    /// codec is not handled or the data does not decompress to that size.</summary>
    public bool TryDecompress(int codec, ReadOnlySpan<byte> source, Span<byte> target)
    {
        switch (codec)
        {
            case Uncompressed:
                if (source.Length != target.Length)
                    return false;
                source.CopyTo(target);
                return true;
            case Snappy:
                return global::Snappier.Snappy.TryDecompress(source, target, out var written)
                    && written == target.Length;
            case Zstd:
                return DecompressZstd(source, target);
            default:
                return false;
        }
    }

    private bool DecompressZstd(ReadOnlySpan<byte> source, Span<byte> target)
    {
        if (ColdDecoding.NativeZstd && NativeZstd.IsAvailable)
        {
            if (_context == IntPtr.Zero)
                _context = NativeZstd.CreateContext();
            if (_context != IntPtr.Zero)
                return NativeZstd.Decompress(_context, source, target) == target.Length;
        }
        _managed ??= new ZstdSharp.Decompressor();
        return _managed.TryUnwrap(source, target, out var written) && written == target.Length;
    }

    public void Dispose()
    {
        _managed?.Dispose();
        _managed = null;
        if (_context != IntPtr.Zero)
        {
            NativeZstd.FreeContext(_context);
            _context = IntPtr.Zero;
        }
    }
}

/// <summary>The system's libzstd (Debian's libzstd1), loaded once if present.</summary>
internal static unsafe class NativeZstd
{
    private static readonly delegate* unmanaged<IntPtr> Create;
    private static readonly delegate* unmanaged<IntPtr, nuint> Free;
    private static readonly delegate* unmanaged<IntPtr, byte*, nuint, byte*, nuint, nuint> DecompressContext;
    private static readonly delegate* unmanaged<nuint, uint> IsError;

    static NativeZstd()
    {
        if (!NativeLibrary.TryLoad("libzstd.so.1", out var library) && !NativeLibrary.TryLoad("libzstd", out library))
            return;
        if (!NativeLibrary.TryGetExport(library, "ZSTD_createDCtx", out var create)
            || !NativeLibrary.TryGetExport(library, "ZSTD_freeDCtx", out var free)
            || !NativeLibrary.TryGetExport(library, "ZSTD_decompressDCtx", out var decompress)
            || !NativeLibrary.TryGetExport(library, "ZSTD_isError", out var isError))
            return;
        Create = (delegate* unmanaged<IntPtr>)create;
        Free = (delegate* unmanaged<IntPtr, nuint>)free;
        DecompressContext = (delegate* unmanaged<IntPtr, byte*, nuint, byte*, nuint, nuint>)decompress;
        IsError = (delegate* unmanaged<nuint, uint>)isError;
        IsAvailable = true;
    }

    public static bool IsAvailable { get; }

    public static IntPtr CreateContext() => Create();

    public static void FreeContext(IntPtr context) => Free(context);

    /// <summary>Bytes written, or -1 on an error.</summary>
    public static long Decompress(IntPtr context, ReadOnlySpan<byte> source, Span<byte> target)
    {
        fixed (byte* from = source)
        fixed (byte* to = target)
        {
            var result = DecompressContext(context, to, (nuint)target.Length, from, (nuint)source.Length);
            return IsError(result) != 0 ? -1 : (long)result;
        }
    }
}
