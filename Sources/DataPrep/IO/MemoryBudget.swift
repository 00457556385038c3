import Foundation

/// How much memory a command may use, and the up-front check that turns "the kernel killed us"
/// or an allocation abort (exit 134 with a backtrace) into a typed error saying what to change.
///
/// Available = the smaller of `MemAvailable` (`/proc/meminfo`) and the cgroup v2 limit left
/// (`/sys/fs/cgroup/memory.max` − `memory.current`), which is what a container really gets.
/// `DATAPREP_MEMORY_LIMIT=BYTES` replaces both: to cap a run on a shared machine, and for tests
/// that need the check to be deterministic. Everything is in memory until datasets stream; the
/// estimates are the decoded pixel bytes times the copies each command holds at its peak.
public struct MemoryBudget: Sendable, Equatable {
    /// Bytes the process may still use.
    public var available: Int
    /// Where `available` came from, for the error message.
    public var source: String

    public init(available: Int, source: String) {
        self.available = available
        self.source = source
    }

    public static let environmentKey = "DATAPREP_MEMORY_LIMIT"

    /// The budget of this process now, or nil when nothing can be read (no check then).
    public static func current(environment: [String: String] = ProcessInfo.processInfo.environment) -> MemoryBudget? {
        if let text = environment[environmentKey] {
            guard let bytes = Int(text.trimmingCharacters(in: .whitespaces)), bytes >= 0 else { return nil }
            return MemoryBudget(available: bytes, source: environmentKey)
        }
        return parse(meminfo: try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8),
                     cgroupMax: try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
                     cgroupCurrent: try? String(contentsOfFile: "/sys/fs/cgroup/memory.current", encoding: .utf8))
    }

    /// The budget from the text of `/proc/meminfo` and the cgroup files (each may be absent).
    static func parse(meminfo: String?, cgroupMax: String?, cgroupCurrent: String?) -> MemoryBudget? {
        var best: MemoryBudget?
        if let meminfo, let line = meminfo.split(separator: "\n").first(where: { $0.hasPrefix("MemAvailable:") }),
           let kB = Int(line.split(separator: " ").dropFirst().first ?? "") {
            best = MemoryBudget(available: kB * 1024, source: "MemAvailable in /proc/meminfo")
        }
        if let limit = cgroupMax.flatMap({ Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }) {
            let used = cgroupCurrent.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
            let left = max(0, limit - used)
            if left < best?.available ?? .max {
                best = MemoryBudget(available: left, source: "cgroup limit /sys/fs/cgroup/memory.max (\(Self.text(limit)), \(Self.text(used)) in use)")
            }
        }
        return best
    }

    /// Throws `.insufficientMemory` when `needed` bytes exceed the budget.
    /// - Parameters:
    ///   - what: the arithmetic behind `needed`, e.g. "25000 images × 150x150x3 bytes × 4 copies".
    ///   - hint: what the user can change.
    public func check(needed: Int, path: String, what: String, hint: String) throws {
        guard needed > available else { return }
        throw DataPrepError.insufficientMemory(path: path, needed: needed, available: available,
                                               detail: "\(what); available from \(source)", hint: hint)
    }

    /// Bytes as a short human number: `1.5 GB`, `820 MB`, `12 KB` (decimal units).
    public static func text(_ bytes: Int) -> String {
        let units: [(Double, String)] = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")]
        for (size, name) in units where Double(bytes) >= size {
            return String(format: "%.1f %@", Double(bytes) / size, name)
        }
        return "\(bytes) bytes"
    }
}
