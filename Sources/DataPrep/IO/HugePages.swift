#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back a large fresh buffer with 2 MiB pages.
///
/// Filling a new 188 MB float array (MNIST as float32) costs ~46,000 first-touch page faults
/// with 4 KiB pages — most of the conversion's time. This machine's transparent huge pages
/// are in `madvise` mode, so one `madvise(MADV_HUGEPAGE)` before the first write cuts that
/// 512-fold. Only the 2 MiB-aligned interior is advised; small buffers are left alone. The
/// advice is a hint: where it is refused nothing changes but speed.
enum HugePages {
    static let minimumBytes = 8 << 20
    static let pageSize = 2 << 20

    static func advise(_ base: UnsafeMutableRawPointer?, byteCount: Int) {
        #if os(Linux)
        guard let base, byteCount >= minimumBytes else { return }
        let start = (UInt(bitPattern: base) + UInt(pageSize - 1)) & ~UInt(pageSize - 1)
        let end = (UInt(bitPattern: base) + UInt(byteCount)) & ~UInt(pageSize - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, Int(end - start), MADV_HUGEPAGE)
        #endif
    }

    /// An array of `count` elements written by `body` (which must initialise all of them),
    /// advised for huge pages before the first write.
    static func array<T>(count: Int, _ body: (UnsafeMutableBufferPointer<T>) throws -> Void) rethrows -> [T] {
        try [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            advise(UnsafeMutableRawPointer(buffer.baseAddress), byteCount: count * MemoryLayout<T>.stride)
            try body(buffer)
            initialized = count
        }
    }
}
