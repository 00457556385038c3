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
    /// Floats of im2col rows (or output rows, if wider) per convolution tile: the size of the
    /// core's L1 data cache, kept within 16 KB...512 KB.
    ///
    /// Why the L1d: a tile is written by im2col and read straight back by OpenBLAS's packing of
    /// it; a tile that fits the L1d is read from there, and smaller tiles only add `sgemm`
    /// calls with fewer rows. Measured (train-bench CPU ms per step, one thread, b32 CIFAR /
    /// b128 fashion-alexnet, tile size injected with `--l1`, 3–6 interleaved repetitions on a
    /// shared 2-core AMD EPYC Zen 4, family 25 model 17, 32 KB L1d, 1 MB L2, load 2.3–5):
    /// cifar-cnn 8 KB 60–66, 16 KB 55–57, 32 KB 52–55, 64 KB 56–60, 128 KB 58–62, 256 KB
    /// 60–64; fashion-alexnet 8 KB 108–116, 16 KB 95–100, 32 KB 84–88, 64 KB 91–96. (The
    /// earlier constant, 128 KB, was chosen on the same CPU model among 64 KB...2 MB tiles: 2 MB
    /// 77–85, 1 MB 65.6, 256 KB 66.1, 128 KB 63.9, 64 KB 68.2, single best-of-4 figures.) The
    /// floor: 8 KB tiles (m ≈ 7–28 rows) lost on both presets; the ceiling only bounds odd
    /// sysfs reports.
    public let tileFloats: Int
    /// Most parallel parts a convolution is cut into: 8 (enough for two to four cores to
    /// balance uneven parts), or one per core on machines with more, up to 64.
    public let convParts: Int

    /// Floats of one Winograd block (its tiles' transformed inputs and products, 16 positions
    /// each): a quarter of the L2, kept within 64 KB...1 MB. Why the L2 rather than the L1d: a
    /// block is 16 products of `tiles x C` by `C x O`; at L1d size a block holds only ~8–30
    /// tiles, too few rows for OpenBLAS's kernels (measurements in `Conv2DLayer`'s notes).
    public var winogradBlockFloats: Int
    /// Which convolutions use Winograd F(2x2, 3x3) (`.byShape`: the measured rule in
    /// `ConvAlgorithm`); the others exist to measure and test both paths on one shape.
    public var convolutions: ConvAlgorithmChoice = .byShape
    /// The instruction-set level of the engine's own loops (`KernelISA.host`: the CPU's best, or
    /// `DATAPREP_ISA`); results are the same bits at every level.
    public var isa: KernelISA = .host

    public init(caches: CPUCaches, processors: Int) {
        precondition(processors >= 1, "processors must be at least 1, got \(processors)")
        self.caches = caches
        self.processors = processors
        let bytes = min(512 << 10, max(16 << 10, caches.l1Data))
        tileFloats = bytes / MemoryLayout<Float>.size
        convParts = min(64, max(8, processors))
        winogradBlockFloats = min(1 << 20, max(64 << 10, caches.l2 / 4)) / MemoryLayout<Float>.size
    }

    /// This machine's tuning (read once per process).
    public static let host = KernelTuning(caches: .host, processors: max(1, sysconf(Int32(_SC_NPROCESSORS_CONF))))

    public var description: String {
        "\(caches); \(processors) cores; conv tiles \((tileFloats * MemoryLayout<Float>.size) >> 10) KB, up to \(convParts) parts; Winograd blocks \((winogradBlockFloats * MemoryLayout<Float>.size) >> 10) KB; kernels \(isa)"
    }
}

/// How `KernelTuning` picks each convolution's algorithm.
public enum ConvAlgorithmChoice: String, Sendable, Equatable, CaseIterable {
    /// Winograd where the measured rule says it is faster, im2col + GEMM elsewhere.
    case byShape
    /// im2col + GEMM everywhere (the reference path).
    case im2col
    /// Winograd for every stride-1 3x3 convolution.
    case winograd
}
