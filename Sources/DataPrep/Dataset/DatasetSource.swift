#if canImport(Glibc)
import Glibc
#endif

/// Any input `dataprep` understands, recognised from a path.
///
/// Detection looks at what is there, not only at names: folder contents for dataset folders,
/// magic bytes for single files (so an HTML page saved as `train.gz` is reported as text, and a
/// PNG named `.jpg` still decodes).
public enum DatasetSource: Sendable {
    /// A folder with MNIST-style IDX files (train and/or t10k pairs).
    case idxFolder(MNISTFolder)
    /// One IDX file, raw or gzip.
    case idxFile(String)
    /// An extracted CIFAR folder or an official CIFAR `.tar.gz`.
    case cifar(CIFARSource)
    /// One CIFAR batch file.
    case cifarBatch(String, CIFARVariant)
    /// Images labelled by name or folder, from a folder or a `.zip`.
    case collection(ImageCollection)
    /// One JPEG or PNG.
    case image(String)
    /// A folder written by `dataprep split` / `merge-cifar` (has a `dataset.json`).
    case splitOutput(SplitOutput)

    /// Recognises `path`, or throws a typed error saying why nothing fits.
    public static func open(_ path: String) throws -> DatasetSource {
        guard FileIO.exists(path) else { throw DataPrepError.io(path: path, reason: "no such file or directory") }
        if FileIO.isDirectory(path) {
            if let output = try SplitOutput(folder: path) { return .splitOutput(output) }
            if let mnist = MNISTFolder(path: path) { return .idxFolder(mnist) }
            if let cifar = CIFARSource(folder: path) { return .cifar(cifar) }
            return .collection(try ImageCollection(folder: path))
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".tar") || lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") {
            return .cifar(CIFARSource(archive: path))
        }
        let head = try FileIO.readPrefix(path, count: 8)
        guard !head.isEmpty else { throw DataPrepError.emptyFile(path: path) }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) || lower.hasSuffix(".zip") {
            return .collection(try ImageCollection(zip: path))
        }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) || head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .image(path) }
        if lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") || lower.hasSuffix(".png") { return .image(path) }
        if lower.hasSuffix(".bin") { return .cifarBatch(path, try cifarVariant(of: path)) }
        if head.starts(with: [0x1F, 0x8B]) || head.starts(with: [0, 0]) || lower.contains("idx") { return .idxFile(path) }
        throw DataPrepError.notADataset(
            path: path, reason: "not a folder, IDX, CIFAR batch, JPEG, PNG, zip or tar file (starts with \(head.hexPrefix(4)))"
                + (FileSignature.hint(for: head).map { "; \($0)" } ?? ""))
    }

    /// CIFAR-10 or -100 for a lone batch file: by the official file name, else by which record
    /// size divides the file size.
    static func cifarVariant(of path: String) throws -> CIFARVariant {
        let name = lastPathComponent(path)
        if let variant = CIFARSource.variant(ofMember: name) { return variant }
        let size = try FileIO.size(path)
        if size > 0 && size % CIFARVariant.cifar100.recordSize == 0 && size % CIFARVariant.cifar10.recordSize != 0 { return .cifar100 }
        return .cifar10
    }

    /// A short machine-readable name of the detected format.
    public var formatName: String {
        switch self {
        case .idxFolder: return "idx-folder"
        case .idxFile: return "idx"
        case let .cifar(source):
            if case .archive = source.location { return "cifar-archive" }
            return source.variant?.rawValue ?? "cifar"
        case let .cifarBatch(_, variant): return variant.rawValue + "-batch"
        case let .collection(c): return c.layout.rawValue + (c.location == .zip(c.path) ? "-zip" : "")
        case .image: return "image"
        case .splitOutput: return "dataprep-dataset"
        }
    }
}

extension FileIO {
    /// Up to the first `count` bytes of a file, for magic-byte detection without reading it all.
    public static func readPrefix(_ path: String, count: Int) throws -> [UInt8] {
        let (fd, _) = try openRegularFile(path)
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, count) }
        guard n >= 0 else { throw DataPrepError.io(path: path, reason: errnoText()) }
        return Array(bytes.prefix(n))
    }
}
