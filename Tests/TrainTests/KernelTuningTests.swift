import Foundation
import Testing
@testable import Train

/// The cache-derived cuts (tile = L1d): the sysfs reader on a folder built here, the tile rule, and
/// convolutions cut as other CPUs would cut them (injected cache sizes) against the naive
/// reference and bit-identical across thread counts.
@Suite struct KernelTuningTests {
    @Test func parsesSysfsSizes() {
        #expect(CPUCaches.parseSize("48K") == 48 << 10)
        #expect(CPUCaches.parseSize("1024K") == 1 << 20)
        #expect(CPUCaches.parseSize("32768K\n") == 32 << 20)
        #expect(CPUCaches.parseSize("2M") == 2 << 20)
        #expect(CPUCaches.parseSize("512") == 512)
        for bad in ["", "K", "0K", "-4K", "4X", "1.5M", "１K", "99999999999999999999G"] {
            #expect(CPUCaches.parseSize(bad) == nil, "\(bad)")
        }
    }

    /// Writes `index*/{level,type,size}` like Linux's `/sys/devices/system/cpu/cpu0/cache`.
    static func sysfsFolder(_ entries: [(level: String, type: String, size: String)]) throws -> String {
        let root = NSTemporaryDirectory() + "cpu-cache-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        for (i, e) in entries.enumerated() {
            let dir = root + "/index\(i)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try (e.level + "\n").write(toFile: dir + "/level", atomically: true, encoding: .utf8)
            try (e.type + "\n").write(toFile: dir + "/type", atomically: true, encoding: .utf8)
            try (e.size + "\n").write(toFile: dir + "/size", atomically: true, encoding: .utf8)
        }
        // Entries the reader must ignore.
        try FileManager.default.createDirectory(atPath: root + "/power", withIntermediateDirectories: true)
        try "x".write(toFile: root + "/uevent", atomically: true, encoding: .utf8)
        return root
    }

    @Test func readsASysfsCacheFolder() throws {
        // An Intel Sapphire Rapids core: 48K L1d, 32K L1i, 2 MB L2, 105 MB shared L3.
        let root = try Self.sysfsFolder([("1", "Data", "48K"), ("1", "Instruction", "32K"),
                                         ("2", "Unified", "2048K"), ("3", "Unified", "107520K")])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let caches = try #require(CPUCaches.fromSysfs(root))
        #expect(caches == CPUCaches(l1Data: 48 << 10, l2: 2 << 20, l3: 105 << 20, source: .sysfs))
        #expect(CPUCaches.read(sysfs: root) == caches)
        #expect(KernelTuning(caches: caches, processors: 4).tileFloats == (48 << 10) / 4)
    }

    @Test func incompleteOrMissingSysfsIsNotTrusted() throws {
        let noL2 = try Self.sysfsFolder([("1", "Data", "32K"), ("1", "Instruction", "32K")])
        let badSize = try Self.sysfsFolder([("1", "Data", "32K"), ("2", "Unified", "lots")])
        defer { for r in [noL2, badSize] { try? FileManager.default.removeItem(atPath: r) } }
        #expect(CPUCaches.fromSysfs(noL2) == nil)
        #expect(CPUCaches.fromSysfs(badSize) == nil)
        #expect(CPUCaches.fromSysfs(noL2 + "/absent") == nil)
        // read() then falls back to sysconf (or the fixed sizes), never to a half-read CPU.
        #expect(CPUCaches.read(sysfs: noL2).source != .sysfs)
    }

    @Test func tilesAreTheL1dWithinBounds() {
        func tileKB(_ l1KB: Int) -> Int {
            KernelTuning(caches: CPUCaches(l1Data: l1KB << 10, l2: 1 << 20), processors: 2).tileFloats * 4 / 1024
        }
        #expect(tileKB(8) == 16 && tileKB(16) == 16 && tileKB(32) == 32 && tileKB(48) == 48)
        #expect(tileKB(512) == 512 && tileKB(4096) == 512)
        func parts(_ processors: Int) -> Int { KernelTuning(caches: .fallback, processors: processors).convParts }
        #expect(parts(1) == 8 && parts(2) == 8 && parts(16) == 16 && parts(256) == 64)
        #expect(CPUCaches.fallback.l1Data == 32 << 10 && KernelTuning(caches: .fallback, processors: 2).tileFloats == 8_192)
    }

    /// 32, 48, 256 and 512 KB tiles and 8 or 16 parts: the ConvTilingTests shapes are cut into
    /// 8, 5 or 1 row blocks per sample, or two samples per tile.
    static let tunings: [KernelTuning] = [
        KernelTuning(caches: CPUCaches(l1Data: 32 << 10, l2: 512 << 10), processors: 2),
        KernelTuning(caches: CPUCaches(l1Data: 48 << 10, l2: 2 << 20), processors: 16),
        KernelTuning(caches: CPUCaches(l1Data: 256 << 10, l2: 1 << 20), processors: 2),
        KernelTuning(caches: CPUCaches(l1Data: 512 << 10, l2: 4 << 20), processors: 16),
    ]

    @Test(arguments: tunings)
    func injectedCachesGiveReferenceResultsForEveryThreadCount(_ tuning: KernelTuning) throws {
        for cc in ConvTilingTests.cases {
            let g = ConvGeometry(height: cc.h, width: cc.w, channels: cc.c, kernel: (3, 3),
                                 stride: (cc.stride, cc.stride), padding: cc.padding)!
            let one = try ConvTilingTests.layerResults(cc, threads: 1, tuning: tuning)
            for threads in 2...4 {
                let other = try ConvTilingTests.layerResults(cc, threads: threads, tuning: tuning)
                #expect(one.y.map(\.bitPattern) == other.y.map(\.bitPattern), "forward \(cc) 1 vs \(threads) threads")
                #expect(one.dx.map(\.bitPattern) == other.dx.map(\.bitPattern), "dx \(cc) 1 vs \(threads) threads")
                #expect(one.dW.map(\.bitPattern) == other.dW.map(\.bitPattern), "dW \(cc) 1 vs \(threads) threads")
                #expect(one.db.map(\.bitPattern) == other.db.map(\.bitPattern), "db \(cc) 1 vs \(threads) threads")
            }
            let expected = Reference.convForward(g, batch: cc.batch, x: one.x, kernel: one.kernel, bias: one.bias, filters: cc.filters)
            #expect(maxRelativeError(one.y, expected) < 1e-4, "forward \(cc)")
            let ref = Reference.convBackward(g, batch: cc.batch, x: one.x, kernel: one.kernel, dz: one.dz, filters: cc.filters)
            #expect(maxRelativeError(one.dx, ref.dx) < 1e-4, "dx \(cc)")
            #expect(maxRelativeError(one.dW, ref.dKernel) < 1e-4, "dW \(cc)")
            #expect(maxRelativeError(one.db, ref.dBias) < 1e-4, "db \(cc)")
        }
    }

    @Test func theTuningsCoverEveryKindOfCut() {
        // rowBlocks for the first ConvTilingTests case (57,600 floats per sample), per tuning.
        let blocks = Self.tunings.map { ConvTiling(batch: 3, rowsPerSample: 400, width: 144, tuning: $0) }
        #expect(blocks.map(\.rowBlocks) == [8, 5, 1, 1])
        #expect(blocks.map(\.samplesPerTile) == [1, 1, 1, 2])
    }
}
