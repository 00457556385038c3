import DataPrep

/// Where and how `split` and `merge-cifar` write: the output folder (built in a hidden sibling
/// and moved into place when complete), the formats beside the NumPy arrays, and the
/// WebDataset shard size.
public struct DatasetOutput: Sendable {
    public var folder: String
    /// Always holds `.npy`.
    public var formats: Set<ExportFormat>
    public var shardSize: Int

    public init(folder: String, formats: Set<ExportFormat> = [.npy], shardSize: Int = 1000) {
        self.folder = folder
        self.formats = formats.union([.npy])
        self.shardSize = shardSize
    }

    /// The output's parent folder, made if absent: where its staging folder and the temporary
    /// spill files of a streaming `split` go (on the disk that will hold the output anyway).
    func spillDirectory() throws -> String { try SpillFile.directory(beside: folder) }

    /// Writes `prepared` atomically to `folder`: an earlier complete dataprep dataset there is
    /// replaced, anything else refused; on any error the staging folder is removed.
    func write(_ prepared: PreparedDataset, threads: Int, events: WorkflowEvents) throws {
        let staged = try StagedDirectory(finalPath: folder, replaceable: SplitOutput.isReplaceable)
        let bar = events.progress("writing")
        defer { bar.finish() }
        do {
            let writer = DatasetWriter(formats: formats, shardSize: shardSize, threads: threads, progress: { bar.update($0, of: $1) })
            try writer.write(prepared, into: staged.stagingPath)
            try staged.commit(verify: SplitOutput.verifyComplete)
        } catch {
            staged.discard()
            throw error
        }
    }

    /// Whether the output holds encoded images (PNG files, WebDataset shards), the part of
    /// writing worth sharing.
    var encodesImages: Bool { formats.contains(.png) || formats.contains(.wds) }
}
