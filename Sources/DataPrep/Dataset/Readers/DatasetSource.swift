#if canImport(Glibc)
import Glibc
#endif

/// Where a dataset comes from: the one dispatch from a path to the `DatasetReader` of its kind.
///
/// Detection looks at what is there, not only at names: folder contents for dataset folders,
/// magic bytes for single files (so an HTML page saved as `train.gz` is reported as text, and a
/// PNG named `.jpg` still decodes).
public enum DatasetSource {
    /// Recognises `path`, or throws a typed error saying why nothing fits.
    public static func open(_ path: String) throws -> any DatasetReader {
        guard FileIO.exists(path) else { throw DataPrepError.io(path: path, reason: "no such file or directory") }
        if FileIO.isDirectory(path) {
            if let output = try SplitOutput(folder: path) { return output }
            if let mnist = MNISTFolder(path: path) { return mnist }
            if let cifar = CIFARSource(folder: path) { return CIFARReader(path: path, source: cifar) }
            return try ImageCollection(folder: path)
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".tar") || lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") {
            return CIFARReader(path: path, source: CIFARSource(archive: path))
        }
        let head = try FileIO.readPrefix(path, count: 8)
        guard !head.isEmpty else { throw DataPrepError.emptyFile(path: path) }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) || lower.hasSuffix(".zip") {
            return try ImageCollection(zip: path)
        }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) || head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return SingleImage(path: path) }
        if lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") || lower.hasSuffix(".png") { return SingleImage(path: path) }
        if lower.hasSuffix(".bin") { return CIFARBatchFile(path: path, variant: try CIFARBatchFile.variant(of: path)) }
        if head.starts(with: [0x1F, 0x8B]) || head.starts(with: [0, 0]) || lower.contains("idx") { return IDXFile(path: path) }
        throw DataPrepError.notADataset(
            path: path, reason: "not a folder, IDX, CIFAR batch, JPEG, PNG, zip or tar file (starts with \(head.hexPrefix(4)))"
                + (FileSignature.hint(for: head).map { "; \($0)" } ?? ""))
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
