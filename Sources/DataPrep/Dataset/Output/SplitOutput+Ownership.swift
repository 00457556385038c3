/// Telling a `split` / `merge-cifar` output folder from anything else with a `dataset.json`, and
/// checking a staged one is complete before it is committed.
///
/// Recognised by content, not by name: nnU-Net, Hugging Face and others write a `dataset.json`
/// too, and `split --out` over such a folder used to replace it. Ours carries
/// `"format": "dataprep-dataset"` with a version (written since the first release, so older
/// outputs are recognised too), decodes as a `DatasetDescriptor`, has the manifest beside it, and
/// holds nothing we did not write. Anything else is refused, never deleted.
extension SplitOutput {
    /// Top-level names a dataset folder may hold besides its split folders.
    static let ownNames = Set([DatasetDescriptor.fileName, "classes.txt", "manifest.csv", "manifest.json"]
                              + ExportFormat.allCases.filter { $0 != .npy }.map(\.rawValue))

    /// Whether `folder` is a complete dataprep dataset that a new output may replace: a valid
    /// `dataset.json` of our format, its manifest, and no entry we would not have written
    /// (a user's notes or a model saved inside it make it not ours to delete).
    public static func isReplaceable(_ folder: String) -> Bool {
        foreignEntries(folder).map(\.isEmpty) ?? false
    }

    /// Entries of `folder` that a dataprep dataset does not contain, or nil when the folder is
    /// not a dataprep dataset at all.
    static func foreignEntries(_ folder: String) -> [String]? {
        guard let output = try? SplitOutput(folder: folder),
              FileIO.exists(joinPath(folder, "manifest.json")),
              let entries = try? FileIO.listAll(folder) else { return nil }
        let allowed = ownNames.union(output.descriptor.splits.map(\.name))
        return entries.filter { !allowed.contains($0) && !isTempFile($0) }
    }

    /// `.NAME.tmp-PID`, what `FileIO.writeAtomically` leaves if killed mid-write.
    private static func isTempFile(_ name: String) -> Bool { name.hasPrefix(".") && name.contains(".tmp-") }

    /// Throws unless the staged folder holds everything its `dataset.json` describes: the
    /// manifest, the class list, and each split's `x.npy` / `y.npy` with exactly the bytes its
    /// count and shape need (checked from the npy headers, without reading the arrays), and
    /// the same for the `npy-float32` export's arrays when it was written.
    public static func verifyComplete(_ folder: String) throws {
        guard let output = try SplitOutput(folder: folder) else {
            throw DataPrepError.inconsistent(path: folder, reason: "staged output has no \(DatasetDescriptor.fileName); not committed")
        }
        for name in ["classes.txt", "manifest.csv", "manifest.json"] where !FileIO.exists(joinPath(folder, name)) {
            throw DataPrepError.inconsistent(path: joinPath(folder, name), reason: "missing from the staged output; not committed")
        }
        let d = output.descriptor
        let itemSize = d.dtype == "float32" ? 4 : 1
        for split in d.splits {
            try checkArray(joinPath(folder, split.x), dataBytes: split.count * d.height * d.width * d.channels * itemSize)
            try checkArray(joinPath(folder, split.y), dataBytes: split.count * 8)
        }
        let floats = joinPath(folder, ExportFormat.npyFloat32.rawValue)
        if FileIO.exists(floats) {
            for split in d.splits {
                try checkArray(joinPath(joinPath(floats, split.name), "x.npy"), dataBytes: split.count * d.height * d.width * d.channels * 4)
                try checkArray(joinPath(joinPath(floats, split.name), "y.npy"), dataBytes: split.count * 8)
            }
        }
    }

    /// An npy file whose size is its header plus `dataBytes`.
    private static func checkArray(_ path: String, dataBytes: Int) throws {
        guard FileIO.exists(path) else {
            throw DataPrepError.inconsistent(path: path, reason: "missing from the staged output; not committed")
        }
        let head = try FileIO.readPrefix(path, count: 12)
        guard head.count >= 10 else { throw DataPrepError.truncated(path: path, expected: 10, found: head.count) }
        let headerEnd = head[6] == 1 ? 10 + (Int(head[8]) | Int(head[9]) << 8)
            : head.count == 12 ? 12 + (Int(head[8]) | Int(head[9]) << 8 | Int(head[10]) << 16 | Int(head[11]) << 24) : 0
        let size = try FileIO.size(path)
        guard size == headerEnd + dataBytes else {
            throw DataPrepError.truncated(path: path, expected: headerEnd + dataBytes, found: size)
        }
    }
}
