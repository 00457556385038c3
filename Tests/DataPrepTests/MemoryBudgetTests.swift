import Foundation
import Testing
import TestSupport
@testable import DataPrep

/// Issue 13 item 14: a load that cannot fit fails up front with a typed error saying how much
/// is needed, how much is available and what to change, instead of aborting half way.
@Suite struct MemoryBudgetTests {
    @Test func availableIsTheSmallerOfMemAvailableAndTheCgroupLimitLeft() {
        let meminfo = "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    8000000 kB\n"
        #expect(MemoryBudget.parse(meminfo: meminfo, cgroupMax: "max\n", cgroupCurrent: "100\n")
                == MemoryBudget(available: 8_192_000_000, source: "MemAvailable in /proc/meminfo"))
        #expect(MemoryBudget.parse(meminfo: meminfo, cgroupMax: "2000000000\n", cgroupCurrent: "500000000\n")
                == MemoryBudget(available: 1_500_000_000, source: "cgroup limit /sys/fs/cgroup/memory.max (2.0 GB, 500.0 MB in use)"))
        #expect(MemoryBudget.parse(meminfo: nil, cgroupMax: nil, cgroupCurrent: nil) == nil)
        #expect(MemoryBudget.current(environment: ["DATAPREP_MEMORY_LIMIT": "12345"]) == MemoryBudget(available: 12345, source: "DATAPREP_MEMORY_LIMIT"))
    }

    /// 150 listed photos resized to 12x12 RGB = 432 bytes each; split holds 4 copies:
    /// 150 × 432 × 4 = 259,200 bytes needed.
    @Test func splitNeedingMoreThanTheBudgetFailsBeforeDecoding() throws {
        let source = try ScratchFolder.make("memory")
        defer { ScratchFolder.remove(source) }
        for i in 0..<150 {
            try FileIO.makeDirectories(source + (i % 2 == 0 ? "/cat" : "/dog"))
            try FileIO.writeAtomically([0xFF, 0xD8, 0xFF], to: source + (i % 2 == 0 ? "/cat/" : "/dog/") + "\(i).jpg")   // never decoded
        }
        var job = SplitJob(source: source, spec: try SplitSpec(sizes: .ratios([0.5, 0.5]), names: nil, allowShort: false), seed: 1,
                           load: LoadedDataset.Options(size: (12, 12)))
        job.load.memory = MemoryBudget(available: 259_199, source: "test")
        #expect(throws: DataPrepError.insufficientMemory(
            path: source, needed: 259_200, available: 259_199,
            detail: "150 images × 12x12x3 bytes × 4 copies held at once; available from test",
            hint: "choose a smaller --resize or --grayscale, or free memory (DATAPREP_MEMORY_LIMIT=BYTES sets the budget)")) {
            try job.prepare()
        }
        let error = DataPrepError.insufficientMemory(path: "p", needed: 259_200, available: 259_199, detail: "d", hint: "h")
        #expect(error.description == "p: needs about 259.2 KB of memory but only 259.2 KB is available (d); h")
        // --normalize adds no copy: it is recorded in dataset.json, x.npy stays bytes.
        job.normalize = .unit
        #expect(throws: DataPrepError.insufficientMemory(
            path: source, needed: 259_200, available: 259_199,
            detail: "150 images × 12x12x3 bytes × 4 copies held at once; available from test",
            hint: "choose a smaller --resize or --grayscale, or free memory (DATAPREP_MEMORY_LIMIT=BYTES sets the budget)")) {
            try job.prepare()
        }
    }
}
