@testable import Cluster
import Testing

/// The parts of `Cluster` that need no MPI: launch detection, shares, packing. The collectives
/// themselves run under mpirun in CLITests' DistributedCommandTests.
@Suite struct LaunchTests {
    @Test func plainProcessIsNotARank() {
        #expect(Launch.detect([:]) == nil)
        #expect(Launch.detect(["PATH": "/usr/bin", "OMPI_MCA_foo": "1"]) == nil)
    }

    @Test func everyLauncherIsRecognised() {
        for variable in ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"] {
            #expect(Launch.detect([variable: "0"]) == Launch(library: "libmpi.so.40"), "\(variable)")
        }
        #expect(Launch.detect(["PMIX_RANK": "1", "DATAPREP_MPI_LIBRARY": "/opt/ompi/lib/libmpi.so.40"])?.library == "/opt/ompi/lib/libmpi.so.40")
    }

    @Test func offSwitchRunsAlone() {
        for value in ["off", "OFF", "0", "no"] { #expect(Launch.detect(["OMPI_COMM_WORLD_SIZE": "2", "DATAPREP_MPI": value]) == nil) }
        #expect(Launch.detect(["OMPI_COMM_WORLD_SIZE": "2", "DATAPREP_MPI": "on"]) != nil)
    }

    @Test func missingLibraryIsTyped() throws {
        let error = #expect(throws: ClusterError.self) {
            _ = try Cluster.joinIfLaunched(environment: ["OMPI_COMM_WORLD_SIZE": "2", "DATAPREP_MPI_LIBRARY": "/nonexistent/libmpi.so.40"])
        }
        guard case .libraryUnavailable(let path, let reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == "/nonexistent/libmpi.so.40")
        #expect(reason.contains("No such file"), "\(reason)")
    }

    @Test func faultHookParses() {
        #expect(Fault("1:fail") == Fault(rank: 1, action: .fail))
        #expect(Fault("0:kill")?.action == .kill)
        for text in [nil, "", "1", "x:fail", "1:explode", "1:fail:2"] { #expect(Fault(text) == nil, "\(String(describing: text))") }
    }
}

extension Fault {
    init(rank: Int, action: Action) { self = Fault("\(rank):\(action.rawValue)")! }
}

@Suite struct ShardTests {
    /// Oracle: shares are contiguous, in rank order, and cover 0..<count exactly once.
    @Test func sharesCoverEverythingInOrder() {
        for count in 0...20 {
            for ranks in 1...7 {
                let shares = (0..<ranks).map { Shard.range(count: count, rank: $0, ranks: ranks) }
                #expect(shares.flatMap { Array($0) } == Array(0..<count), "\(count) over \(ranks)")
                #expect(shares.map(\.count).max()! - shares.map(\.count).min()! <= 1)
            }
        }
    }

    @Test func blockSharesNeverCutABlock() {
        for count in 0...25 {
            for block in 1...6 {
                for ranks in 1...5 {
                    let shares = (0..<ranks).map { Shard.blocks(count: count, block: block, rank: $0, ranks: ranks) }
                    #expect(shares.flatMap { Array($0) } == Array(0..<count))
                    for share in shares where !share.isEmpty { #expect(share.lowerBound % block == 0) }
                }
            }
        }
        // 10 samples in batches of 3 over 3 ranks: batches {0}, {1}, {2, 3}.
        #expect((0..<3).map { Shard.blocks(count: 10, block: 3, rank: $0, ranks: 3) } == [0..<3, 3..<6, 6..<10])
    }
}

@Suite struct PackedBytesTests {
    @Test func roundTrip() throws {
        var packed = PackedBytes()
        packed.append([Int64(-1), 7])
        packed.append([Float]())
        packed.append([0.5, -2.25] as [Double])
        #expect(packed.bytes.count == 8 + 16 + 8 + 8 + 16)
        var reader = PackedBytes.Reader(packed.bytes, from: 2)
        #expect(try reader.next(Int64.self) == [-1, 7])
        #expect(try reader.next(Float.self) == [])
        #expect(try reader.next(Double.self) == [0.5, -2.25])
        #expect(throws: ClusterError.malformedMessage(rank: 2, reason: "0 bytes left at offset 56, expected an 8-byte count")) {
            _ = try reader.next(Int64.self)
        }
    }

    @Test func truncatedMessageIsNamed() {
        var packed = PackedBytes()
        packed.append([1.0, 2.0] as [Double])
        var reader = PackedBytes.Reader(Array(packed.bytes.dropLast(1)), from: 1)
        #expect(throws: ClusterError.malformedMessage(rank: 1, reason: "2 values of 8 bytes announced at offset 0, 15 bytes left")) {
            _ = try reader.next(Double.self)
        }
    }
}
