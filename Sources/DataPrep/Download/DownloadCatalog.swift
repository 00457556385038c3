import Foundation

/// The table of datasets `dataprep download` knows: names, mirrors, files, sizes, checksums.
///
/// Like torchvision's dataset classes, the facts are data, not code: `builtIn` holds the vetted
/// table (see `DownloadCatalog+BuiltIn.swift` for where every number came from), and
/// `load(jsonAt:)` reads the same shape from a file, for private mirrors, other datasets, and
/// tests that serve fixture bytes from 127.0.0.1:
///
/// ```json
/// { "datasets": [ { "name": "tiny", "summary": "…", "mirrors": ["https://example.org/tiny/"],
///                   "files": [ { "name": "a.gz", "size": 1234, "md5": "…", "sha256": "…" } ] } ] }
/// ```
public struct DownloadCatalog: Codable, Sendable, Equatable {
    /// The datasets, in listing order.
    public var datasets: [RemoteDataset]

    /// - Throws: `DownloadError.badCatalog` if two datasets share a name or a file entry
    ///   cannot be verified (no checksum, malformed hex, a name with `/`).
    public init(datasets: [RemoteDataset], origin: String = "catalog") throws {
        var seen = Set<String>()
        for dataset in datasets {
            guard seen.insert(dataset.name).inserted else {
                throw DownloadError.badCatalog(path: origin, reason: "dataset '\(dataset.name)' is listed twice")
            }
            if dataset.files.isEmpty {
                throw DownloadError.badCatalog(path: origin, reason: "dataset '\(dataset.name)' lists no files")
            }
            for file in dataset.files {
                if let problem = file.problem() {
                    throw DownloadError.badCatalog(path: origin, reason: "dataset '\(dataset.name)': \(problem)")
                }
            }
        }
        self.datasets = datasets
    }

    /// For literal tables that tests validate; skips the checks of `init(datasets:origin:)`.
    init(trusted datasets: [RemoteDataset]) { self.datasets = datasets }

    /// The names, in listing order (what `--help` and "unknown dataset" errors show).
    public var names: [String] { datasets.map(\.name) }

    /// The dataset called `name`.
    /// - Throws: `DownloadError.unknownDataset`, listing the valid names.
    public func dataset(named name: String) throws -> RemoteDataset {
        guard let found = datasets.first(where: { $0.name == name }) else {
            throw DownloadError.unknownDataset(name: name, known: names)
        }
        return found
    }

    /// Reads a catalog from JSON (shape in the type's documentation).
    /// - Throws: `DownloadError.badCatalog` naming the file and what is wrong with it.
    public static func load(jsonAt path: String) throws -> DownloadCatalog {
        let bytes: [UInt8]
        do { bytes = try JSONInputLimits.standard.read(path) } catch { throw DownloadError.badCatalog(path: path, reason: "\(error)") }
        let decoded: DownloadCatalog
        do {
            decoded = try JSONDecoder().decode(DownloadCatalog.self, from: Data(bytes))
        } catch {
            throw DownloadError.badCatalog(path: path, reason: "not a catalog: \(error)")
        }
        return try DownloadCatalog(datasets: decoded.datasets, origin: path)
    }

    enum CodingKeys: String, CodingKey { case datasets }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        datasets = try c.decode([RemoteDataset].self, forKey: .datasets)
    }
}
