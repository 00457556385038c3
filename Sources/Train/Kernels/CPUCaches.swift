import Foundation

/// The data-cache sizes of the CPU the engine runs on, read once per process.
///
/// Why: the convolution tiles (`KernelTuning`) are sized to the core's L1 data cache; a
/// constant tuned on one CPU is too big or too small elsewhere (32 KB L1d on Zen 1–4 and older
/// Intel cores, 48 KB on Intel's since Ice Lake; L2 256 KB–2 MB). The L2 and L3 are read too,
/// so benchmarks can name the caches they ran on. Linux's sysfs is read first: it names each cache's level and type
/// (`index*/{level,type,size}`), whereas glibc's `sysconf(_SC_LEVEL*_CACHE_SIZE)` is derived
/// from CPUID tables that can be wrong under a hypervisor (on this project's KVM Zen 4 it gives
/// a 320 MB L3 where sysfs says 32 MB). `sysconf` is the second choice, fixed sizes the last.
public struct CPUCaches: Sendable, Equatable, CustomStringConvertible {
    /// Where the sizes came from.
    public enum Source: String, Sendable { case sysfs, sysconf, fallback, given }

    /// Level-1 data cache of one core, bytes.
    public let l1Data: Int
    /// Level-2 cache of one core (unified), bytes.
    public let l2: Int
    /// Last-level (L3) cache, bytes, as the OS reports it (shared by several cores); 0 if none.
    public let l3: Int
    public let source: Source

    public init(l1Data: Int, l2: Int, l3: Int = 0, source: Source = .given) {
        precondition(l1Data > 0 && l2 > 0 && l3 >= 0, "cache sizes must be positive, got L1d \(l1Data) L2 \(l2) L3 \(l3)")
        self.l1Data = l1Data; self.l2 = l2; self.l3 = l3; self.source = source
    }

    /// Used when neither sysfs nor sysconf answers: 32 KB L1d and 512 KB L2, the smallest
    /// common x86-64 figures of the last decade, so tiles err on the side of fitting.
    public static let fallback = CPUCaches(l1Data: 32 << 10, l2: 512 << 10, l3: 0, source: .fallback)

    /// This machine's caches (sysfs, else sysconf, else `fallback`), read on first use.
    public static let host: CPUCaches = read()

    /// - Parameter sysfs: the folder holding `index0`, `index1`, … (cpu0's, whose L1/L2 every
    ///   core of a homogeneous CPU shares in size).
    static func read(sysfs: String = "/sys/devices/system/cpu/cpu0/cache") -> CPUCaches {
        if let caches = fromSysfs(sysfs) { return caches }
        let l1 = sysconf(Int32(_SC_LEVEL1_DCACHE_SIZE)), l2 = sysconf(Int32(_SC_LEVEL2_CACHE_SIZE))
        let l3 = sysconf(Int32(_SC_LEVEL3_CACHE_SIZE))
        if l1 > 0 && l2 > 0 { return CPUCaches(l1Data: l1, l2: l2, l3: max(0, l3), source: .sysconf) }
        return fallback
    }

    /// The caches listed in a sysfs cache folder, or nil when it lacks an L1 data or L2 entry
    /// or an entry is unreadable (then the caller falls back; a half-read CPU is not trusted).
    static func fromSysfs(_ folder: String) -> CPUCaches? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        var l1: Int?, l2: Int?, l3: Int?
        for entry in entries.sorted() where entry.hasPrefix("index") {
            func field(_ name: String) -> String? {
                (try? String(contentsOfFile: folder + "/" + entry + "/" + name, encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard let level = field("level").flatMap(Int.init), let type = field("type"),
                  let size = field("size").flatMap(parseSize) else { return nil }
            switch (level, type) {
            case (1, "Data"): l1 = size
            case (2, "Unified"), (2, "Data"): l2 = size
            case (3, "Unified"): l3 = size
            default: break
            }
        }
        guard let l1, let l2 else { return nil }
        return CPUCaches(l1Data: l1, l2: l2, l3: l3 ?? 0, source: .sysfs)
    }

    /// A sysfs size: decimal digits with an optional `K`, `M` or `G` suffix (binary units, as
    /// the kernel writes them: "48K", "1024K", "32768K"). Nil for anything else or zero.
    static func parseSize(_ text: String) -> Int? {
        var digits = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines)), shift = 0
        switch digits.last {
        case "K", "k": shift = 10
        case "M", "m": shift = 20
        case "G", "g": shift = 30
        default: break
        }
        if shift > 0 { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
              let value = Int(digits), value > 0, value <= Int.max >> shift else { return nil }
        return value << shift
    }

    public var description: String {
        func size(_ bytes: Int) -> String { bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? "\(bytes >> 20) MB" : "\(bytes >> 10) KB" }
        return "L1d \(size(l1Data)), L2 \(size(l2))" + (l3 > 0 ? ", L3 \(size(l3))" : "") + " (\(source.rawValue))"
    }
}
