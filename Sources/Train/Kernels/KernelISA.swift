internal import CKernels
import Foundation

/// The x86-64 instruction-set level the engine's own loops run at (Winograd tile transforms,
/// bias + activation, bias-gradient column sums, dropout masks, max pooling, Adam); OpenBLAS
/// chooses its GEMM kernels itself.
///
/// The Swift is compiled for plain x86-64 (SSE2), so these loops live in C (`CKernels`),
/// compiled once per level and chosen at run time from CPUID: a build runs near the hardware on
/// every x86-64 CPU without being tuned to one. Every level computes the same operations in
/// the same order without FMA contraction, so the results are bit-identical at every level (a
/// model trained on an AVX-512 machine and on an AVX2 machine with the same seed gets the same
/// weights, as far as OpenBLAS's kernels and the cache-derived cuts of `KernelTuning` agree).
/// `KernelISATests` runs each level this CPU has and compares the bits.
public enum KernelISA: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// SSE2, 4 floats per instruction (every x86-64 CPU; other CPUs run the same C portably).
    case baseline = 0
    /// AVX2, 8 floats.
    case avx2 = 1
    /// AVX-512 F/BW/VL/DQ, 16 floats.
    case avx512 = 2

    /// The environment variable that forces a level: `baseline`, `avx2` or `avx512`.
    public static let environmentVariable = "DATAPREP_ISA"

    /// The highest level this CPU and OS can run (CPUID and XGETBV, read once).
    public static let supported = KernelISA(rawValue: Int(ck_isa_supported())) ?? .baseline

    /// The levels this machine can run, lowest first.
    public static var available: [KernelISA] { allCases.filter { $0 <= supported } }

    /// The level a run uses: `supported`, or `DATAPREP_ISA` when set, lowered to `supported`
    /// when it names a level this CPU lacks (running it would stop on an illegal instruction).
    public static let host: KernelISA = resolve(ProcessInfo.processInfo.environment[environmentVariable], supported: supported)

    /// `requested` (a `DATAPREP_ISA` value: a level's name, any case) limited to `supported`;
    /// nil, empty or unknown names give `supported`.
    public static func resolve(_ requested: String?, supported: KernelISA) -> KernelISA {
        guard let name = requested?.lowercased(), let level = allCases.first(where: { $0.description == name }) else { return supported }
        return min(level, supported)
    }

    public static func < (a: KernelISA, b: KernelISA) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .baseline: return "baseline"
        case .avx2: return "avx2"
        case .avx512: return "avx512"
        }
    }

    /// The level as `CKernels` takes it.
    var code: Int32 { Int32(rawValue) }
}
