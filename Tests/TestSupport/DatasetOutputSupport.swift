import DataPrep
import Foundation

/// Scratch folders and whole-folder digests for tests of `split` / `merge-cifar` outputs.
public enum ScratchFolder {
    /// A new, empty folder under the system temp dir, unique per call.
    public static func make(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "dataprep-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Deletes `path` and everything in it (ignores a missing path).
    public static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// SHA-256 (hex) of every regular file below `root`, keyed by path relative to `root`
    /// (hidden files included), so two folders compare byte for byte with one `==`.
    public static func digests(_ root: String) throws -> [String: String] {
        var result: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return result }
        while let relative = walker.nextObject() as? String {
            let path = root + "/" + relative
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
                result[relative] = SHA256.hexHash(try FileIO.read(path))
            }
        }
        return result
    }
}

/// Synthetic CIFAR-10 / CIFAR-100 binary folders whose pixels say where each record came from,
/// so a merged sample's origin, and so its expected new label, can be read back from its pixels.
///
/// Each record's red plane starts with a tag: `R(0,0)` = 10 or 100 (the dataset), `R(0,1)` =
/// 0 (train) or 1 (test), `R(0,2)`, `R(0,3)` = the record's index within its split, big-endian.
/// The other bytes follow `(index*7 + c*31 + k) % 256` (k = position in the plane), which makes
/// every record of a split distinct. Layouts: FORMATS.md §b.
public enum SyntheticCIFAR {
    /// One record as decoded: dataset tag, split (0 train, 1 test) and index within the split.
    public struct Origin: Hashable, Sendable, CustomStringConvertible {
        public var dataset: Int
        public var split: Int
        public var index: Int
        public init(dataset: Int, split: Int, index: Int) { self.dataset = dataset; self.split = split; self.index = index }
        public var description: String { "cifar\(dataset)/\(split == 0 ? "train" : "test")#\(index)" }
    }

    /// The 3072 channel-planar pixel bytes of a record.
    public static func planarPixels(dataset: Int, split: Int, index: Int) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: 3072)
        for c in 0..<3 {
            for k in 0..<1024 { pixels[c * 1024 + k] = UInt8((index * 7 + c * 31 + k) % 256) }
        }
        pixels[0] = UInt8(dataset); pixels[1] = UInt8(split); pixels[2] = UInt8(index >> 8); pixels[3] = UInt8(index & 0xFF)
        return pixels
    }

    /// The tag of a decoded (HWC) 32x32x3 sample: red of pixels (0,0)...(0,3).
    public static func origin(ofHWC pixels: ArraySlice<UInt8>) -> Origin {
        let base = pixels.startIndex
        return Origin(dataset: Int(pixels[base]), split: Int(pixels[base + 3]),
                      index: Int(pixels[base + 6]) << 8 | Int(pixels[base + 9]))
    }

    /// Writes a `cifar-10-batches-bin`-style folder: `data_batch_1..5.bin` share the train
    /// labels round-robin (record i goes to batch i % 5 + 1, so batches differ in size),
    /// `test_batch.bin` holds the test labels, `batches.meta.txt` the ten names.
    /// - Returns: train and test records in decoded order (batch 1 first), as (origin, label).
    @discardableResult
    public static func writeCIFAR10(to folder: String, train: [Int], test: [Int]) throws -> (train: [(Origin, Int)], test: [(Origin, Int)]) {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var batches = [[UInt8]](repeating: [], count: 5)
        var order = [[(Origin, Int)]](repeating: [], count: 5)
        for (i, label) in train.enumerated() {
            batches[i % 5] += [UInt8(label)] + planarPixels(dataset: 10, split: 0, index: i)
            order[i % 5].append((Origin(dataset: 10, split: 0, index: i), label))
        }
        for b in 0..<5 { try FileIO.writeAtomically(batches[b], to: folder + "/data_batch_\(b + 1).bin") }
        var testBytes: [UInt8] = []
        for (i, label) in test.enumerated() { testBytes += [UInt8(label)] + planarPixels(dataset: 10, split: 1, index: i) }
        try FileIO.writeAtomically(testBytes, to: folder + "/test_batch.bin")
        try FileIO.writeAtomically(Array((CIFARClassNames.cifar10.joined(separator: "\n") + "\n\n").utf8), to: folder + "/batches.meta.txt")
        return (order.flatMap { $0 }, test.enumerated().map { (Origin(dataset: 10, split: 1, index: $0.offset), $0.element) })
    }

    /// Writes a `cifar-100-binary`-style folder from fine labels (coarse bytes from the
    /// official table), with both name files.
    public static func writeCIFAR100(to folder: String, train: [Int], test: [Int]) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, split, fine) in [("train.bin", 0, train), ("test.bin", 1, test)] {
            var bytes: [UInt8] = []
            for (i, label) in fine.enumerated() {
                bytes += [UInt8(CIFARClassNames.fineToCoarse[label]), UInt8(label)] + planarPixels(dataset: 100, split: split, index: i)
            }
            try FileIO.writeAtomically(bytes, to: folder + "/" + name)
        }
        try FileIO.writeAtomically(Array((CIFARClassNames.cifar100Fine.joined(separator: "\n") + "\n").utf8), to: folder + "/fine_label_names.txt")
        try FileIO.writeAtomically(Array((CIFARClassNames.cifar100Coarse.joined(separator: "\n") + "\n").utf8), to: folder + "/coarse_label_names.txt")
    }
}

/// Outputs of earlier versions, whose `--normalize` stored float32 `x.npy` (the bytes the
/// `npy-float32` export writes today) under `"dtype": "float32"`: readers must keep loading them.
public enum LegacyFloatOutput {
    /// Rewrites a folder written with `--format npy-float32` into that earlier layout: each
    /// `SPLIT/x.npy` replaced by `npy-float32/SPLIT/x.npy`, the export folder removed, and
    /// `dataset.json` saying `float32`.
    public static func convert(_ folder: String) throws {
        var descriptor = try JSONDecoder().decode(DatasetDescriptor.self, from: Data(FileIO.read(folder + "/dataset.json")))
        for split in descriptor.splits {
            try FileIO.writeAtomically(FileIO.read(folder + "/npy-float32/\(split.name)/x.npy"), to: folder + "/" + split.x)
        }
        try FileManager.default.removeItem(atPath: folder + "/npy-float32")
        descriptor.dtype = "float32"
        try FileIO.writeAtomically(Array(JSONEncoder().encode(descriptor)), to: folder + "/dataset.json")
    }
}
