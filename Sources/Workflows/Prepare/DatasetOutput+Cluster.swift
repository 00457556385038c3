import Cluster
import DataPrep
import Foundation

extension DatasetOutput {
    /// `write` shared by the ranks of an MPI job, every rank writing its own shard of every
    /// output format into one staging folder on a filesystem they all share; the bytes are
    /// the single process's. Every rank calls it, in four agreed steps (`Cluster.agree`):
    ///
    /// 1. rank 0 makes the staging folder (`StagedDirectory`), its folders and its `.npy`
    ///    files (headers, full sizes: `DatasetWriter.stage`), and tells every rank its path
    ///    and layout;
    /// 2. each rank checks it sees that folder (else `ClusterError.notShared`, naming it), then
    ///    the arrays: with `everyRankHolds` each rank writes its contiguous share of every
    ///    `x.npy` / `y.npy` in place; otherwise the samples are on rank 0 alone and it writes
    ///    them whole (a straight copy of the pixels, the cheap part). Rank 0 writes the IDX
    ///    and CIFAR records (copies too);
    /// 3. each rank writes its share of the float32 export, its PNG files and its whole
    ///    WebDataset shards (`DatasetWriter.writeShare`, the costly part), from the samples it
    ///    holds or, holding none, from the arrays staged in step 2 (mapped: it reads its
    ///    share). Every file is fsynced before the rank reports success;
    /// 4. rank 0 writes the manifest and commits.
    ///
    /// Any failure on any rank, in any step, stops every rank at that step's agreement; rank 0
    /// then discards the staging folder, so nothing is committed, and the error is reported
    /// once. A killed rank ends the job: mpirun's SIGTERM makes rank 0 discard it too
    /// (`StagingSignals`). Rank 0 alone shows progress: its own share's.
    ///
    /// - Parameter prepared: the dataset at rank 0, and with `everyRankHolds` on every rank; nil elsewhere.
    func write(_ prepared: PreparedDataset?, across cluster: Cluster, everyRankHolds: Bool, threads: Int, events: WorkflowEvents) throws {
        precondition(prepared != nil || !(cluster.isRoot || everyRankHolds), "rank \(cluster.rank) must hold the dataset it writes")
        let writer = DatasetWriter(formats: formats, shardSize: shardSize, threads: threads)
        let share = WriteShare(index: cluster.rank, of: cluster.size)
        let arrays: WriteShare? = everyRankHolds ? share : cluster.isRoot ? .whole : nil
        let bar = events.progress("writing")
        defer { bar.finish() }
        let total = prepared.map { writer.samplesToWrite($0.splits, share: share, arrays: arrays) } ?? 0
        var done = 0
        func advance(_ n: Int) { done += n; bar.update(done, of: total) }

        var staged: StagedDirectory?
        do {
            var message: [UInt8] = []
            try cluster.agree {
                guard cluster.isRoot, let prepared else { return }
                let directory = try StagedDirectory(finalPath: folder, replaceable: SplitOutput.isReplaceable)
                staged = directory
                try writer.stage(prepared, into: directory.stagingPath)
                message = try StagedLayout.message(directory.stagingPath, prepared)
            }
            let received = try cluster.broadcast(message)
            let layout = try cluster.agree { () -> StagedLayout in
                let layout = try StagedLayout(received)
                if !cluster.isRoot && !FileIO.isDirectory(layout.path) { throw ClusterError.notShared(path: layout.path, rank: cluster.rank) }
                if let arrays, let prepared { try writer.writeArrays(prepared.splits, into: layout.path, share: arrays, advance: advance) }
                if cluster.isRoot, let prepared { try writer.writeRecordFormats(prepared, into: layout.path) }
                return layout
            }
            try cluster.agree {
                let splits = try prepared?.splits ?? SplitOutput(staged: layout.path, descriptor: layout.descriptor).load().splits.splits
                try writer.writeShare(of: splits, classNames: layout.descriptor.classNames, normalization: layout.normalization,
                                      into: layout.path, share: share, advance: advance)
                try cluster.faultPoint()  // the test hook: a rank failing or killed after its writes
            }
            try cluster.agree {
                guard let staged, let prepared else { return }
                try writer.writeManifest(prepared, into: staged.stagingPath)
                try staged.commit(verify: SplitOutput.verifyComplete)
            }
        } catch {
            staged?.discard()
            throw error
        }
    }
}

/// What rank 0 tells the other ranks about the output it staged: the staging path and what
/// the ranks holding no samples need to read the staged arrays back and write their shares.
/// The normalization travels as float bits, not through the JSON, so the float32 export's
/// bytes cannot depend on a decimal round trip.
struct StagedLayout {
    let path: String
    let descriptor: DatasetDescriptor
    let normalization: Normalization?

    static func message(_ path: String, _ prepared: PreparedDataset) throws -> [UInt8] {
        var packed = PackedBytes()
        packed.append(Array(path.utf8))
        packed.append(Array(try JSONEncoder().encode(prepared.descriptor)))
        var statistics: (mean: [Float], std: [Float]) = ([], [])
        if case let .standard(mean, std) = prepared.normalization { statistics = (mean, std) }
        packed.append([UInt8(prepared.normalization == nil ? 0 : statistics.mean.isEmpty ? 1 : 2)])
        packed.append(statistics.mean)
        packed.append(statistics.std)
        return packed.bytes
    }

    init(_ message: [UInt8]) throws {
        var reader = PackedBytes.Reader(message, from: 0)
        path = String(decoding: try reader.next(UInt8.self), as: UTF8.self)
        do {
            descriptor = try JSONDecoder().decode(DatasetDescriptor.self, from: Data(try reader.next(UInt8.self)))
        } catch let error as ClusterError {
            throw error
        } catch {
            throw ClusterError.malformedMessage(rank: 0, reason: "the staged output's description does not decode: \(error)")
        }
        let kind = try reader.next(UInt8.self), mean = try reader.next(Float.self), std = try reader.next(Float.self)
        switch kind {
        case [0]: normalization = nil
        case [1]: normalization = .unit
        case [2] where mean.count == std.count && !mean.isEmpty: normalization = .standard(mean: mean, std: std)
        default: throw ClusterError.malformedMessage(rank: 0, reason: "normalization \(kind) with \(mean.count) means and \(std.count) stds")
        }
    }
}
