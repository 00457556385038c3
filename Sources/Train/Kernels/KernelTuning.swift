import Foundation

/// How the engine cuts its work on this CPU, derived from its cache sizes and core count once
/// per process instead of constants tuned on one machine.
///
/// Determinism: every value here depends on the machine only (cache sizes, configured cores:
/// `_SC_NPROCESSORS_CONF`, which neither `--threads`, `taskset` nor a cgroup quota changes),
/// never on the thread count, so results stay bit-identical for any `--threads` on one
/// machine. Two different CPUs may cut a weight-gradient sum differently and so differ in the
/// last bits, as they already do through OpenBLAS's per-CPU kernels.
public struct KernelTuning: Sendable, Equatable, CustomStringConvertible {
    public let caches: CPUCaches
    /// Cores the machine has (not the threads a run uses).
    public let processors: Int
    /// Floats of im2col rows (or output rows, if wider) per convolution tile: an eighth of the
    /// L2 (`l2 / 8` bytes), kept within 64 KB...512 KB.
    ///
    /// Why an eighth: the tile, OpenBLAS's packed copy of it, the kernel panel, the output rows
    /// and the col2im target all have to stay in the core's L2 between the pack and the product.
    /// Measured on a Zen 4 (1 MB L2; train-bench, CIFAR preset b32, one thread, CPU ms per step,
    /// best of 4 on a shared machine): tiles of 2 MB 77–85, 1 MB 65.6, 256 KB 66.1, 128 KB
    /// (L2/8) 63.9, 64 KB 68.2. The floor: below ~64 KB the widest patches (288 floats) leave
    /// products of m < 56 rows, which lost more than the cache gained; the ceiling keeps a tile
    /// well inside the 4 MB L2s where sysfs reports a shared L2 cluster.
    public let tileFloats: Int
    /// Most parallel parts a convolution is cut into: 8 (enough for two to four cores to
    /// balance uneven parts), or one per core on machines with more, up to 64.
    public let convParts: Int

    public init(caches: CPUCaches, processors: Int) {
        precondition(processors >= 1, "processors must be at least 1, got \(processors)")
        self.caches = caches
        self.processors = processors
        let bytes = min(512 << 10, max(64 << 10, caches.l2 / 8))
        tileFloats = bytes / MemoryLayout<Float>.size
        convParts = min(64, max(8, processors))
    }

    /// This machine's tuning (read once per process).
    public static let host = KernelTuning(caches: .host, processors: max(1, sysconf(Int32(_SC_NPROCESSORS_CONF))))

    public var description: String {
        "\(caches); \(processors) cores; conv tiles \((tileFloats * MemoryLayout<Float>.size) >> 10) KB, up to \(convParts) parts"
    }
}
