import DataPrep
import Foundation

/// Regenerates every file under `Fixtures/` from code, so each fixture's bytes are explained by
/// a formula in this folder. `make-fixtures [ROOT]` writes them; `make-fixtures --check [ROOT]`
/// regenerates into a temporary folder and fails if any committed fixture differs or is missing.
let arguments = Array(CommandLine.arguments.dropFirst())
let check = arguments.contains("--check")
let root = arguments.first { !$0.hasPrefix("--") } ?? "Fixtures"

func generate(into root: String) throws -> [String] {
    var written: [String] = []
    written += try TensorFixtures.write(into: root)
    written += try ImageFixtures.write(into: root)
    written += try ArchiveFixtures.write(into: root)
    written += try CollectionFixtures.write(into: root)
    written += try ShapesFixtures.write(into: root)
    written += try HostileFixtures.write(into: root)
    return written
}

do {
    if check {
        let temp = NSTemporaryDirectory() + "fixtures-check-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: temp) }
        let written = try generate(into: temp)
        var differences: [String] = []
        for file in written where (try? FileIO.read(root + "/" + file)) != (try FileIO.read(temp + "/" + file)) {
            differences.append(file)
        }
        if !differences.isEmpty {
            FileHandle.standardError.write(Data("fixtures out of date (run `swift run make-fixtures`): \(differences.joined(separator: ", "))\n".utf8))
            exit(1)
        }
        print("fixtures: \(written.count) files match the generator")
    } else {
        let written = try generate(into: root)
        print("fixtures: wrote \(written.count) files under \(root)")
    }
} catch {
    FileHandle.standardError.write(Data("make-fixtures: \(error)\n".utf8))
    exit(1)
}
