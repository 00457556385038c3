#if canImport(Glibc)
import Glibc
#endif

/// The process's heap, between the phases of a long command.
enum Heap {
    /// Hands the allocator's free pages back to the system (glibc's `malloc_trim(0)`; nothing
    /// elsewhere), so memory a finished phase freed stops counting as resident.
    ///
    /// Why: listing a folder of N photos allocates a small array per file name, a file tree and
    /// several path lists, all freed before decoding starts; glibc keeps those pages, and the
    /// decode's chunk buffer is a fresh mapping that cannot reuse them, so they stayed resident
    /// for the whole run (about 100 bytes per photo: 31 MB of `split`'s peak at 200k photos).
    static func releaseFreedPages() {
        #if canImport(Glibc)
        // Looked up, not linked: Glibc's module map leaves out <malloc.h>, and musl has none.
        if let trim = mallocTrim { _ = trim(0) }
        #endif
    }

    #if canImport(Glibc)
    private typealias Trim = @convention(c) (Int) -> Int32
    /// glibc's `malloc_trim`, unless a sanitizer's allocator has replaced glibc's: then glibc's
    /// arenas were never set up and trimming them crashed (SEGV in `mtrim` under
    /// AddressSanitizer, seen in CI), and there is nothing of ours for it to hand back anyway.
    private static let mallocTrim: Trim? = {
        let process = UnsafeMutableRawPointer(bitPattern: 0)
        let sanitized = ["__asan_init", "__tsan_init", "__msan_init"].contains { (name: String) in dlsym(process, name) != nil }
        guard !sanitized else { return nil }
        return dlsym(process, "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }
    }()
    #endif
}
