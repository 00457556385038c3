import Foundation

/// Locations of the repository's fixtures and of the shared real data, for every test target.
public enum TestPaths {
    /// The repository root (two levels above this file's folder).
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `Fixtures/NAME` in the repository.
    public static func fixture(_ name: String) -> String { repositoryRoot + "/Fixtures/" + name }

    /// `../shared/data/NAME` beside the repository, or nil (with a printed reason) when absent,
    /// so real-data tests skip cleanly on machines without it.
    public static func sharedData(_ name: String) -> String? {
        let path = URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent().path + "/shared/data/" + name
        if FileManager.default.fileExists(atPath: path) { return path }
        print("skipping: real data not found at \(path)")
        return nil
    }
}
