import Foundation
import Testing
@testable import DataPrep

/// The manifest is written a chunk of rows at a time (issue 14: no whole-document encoding in
/// memory); the bytes must be exactly those of encoding the whole document at once, which is
/// what every earlier version wrote.
@Suite struct ManifestStreamingTests {
    static func rows(_ count: Int, relabeled: Bool) -> [ManifestRow] {
        (0..<count).map { i in
            ManifestRow(split: i % 3 == 0 ? "test" : "train", index: i, source: i % 5 == 0 ? "dir/a \"quoted\", name\n\(i).jpg" : "cats/ünï/\(i).jpg",
                        label: i % 4, className: i % 7 == 0 ? "c,1" : "class/\(i % 4)", sha256: String(repeating: "ab", count: 32),
                        originalLabel: relabeled ? i % 9 : nil, originalClassName: relabeled ? "orig \u{202E}\(i % 9)" : nil)
        }
    }

    static func collect(_ body: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) rethrows -> [UInt8] {
        var out: [UInt8] = []
        try body { out += $0 }
        return out
    }

    @Test(arguments: [0, 1, 2, 4096, 4097, 9000])
    func streamedJSONEqualsTheWholeDocumentsEncoding(count: Int) throws {
        for relabeled in [false, true] {
            let document = Manifest.Document(seed: count == 1 ? nil : 42, command: "dataprep split \"x\" --out y/z", source: "src/ö",
                                             classNames: ["a", "b/c", "d\"e"], samples: Self.rows(count, relabeled: relabeled))
            #expect(try Self.collect { try Manifest.writeJSON(document, to: $0) } == (try StableJSON.encode(document)),
                    "\(count) rows, relabeled \(relabeled)")
        }
    }

    @Test(arguments: [0, 1, 4096, 9000])
    func streamedCSVEqualsTheWholeText(count: Int) throws {
        for relabeled in [false, true] {
            let rows = Self.rows(count, relabeled: relabeled)
            #expect(try Self.collect { try Manifest.writeCSV(rows, to: $0) } == Array(Manifest.csv(rows).utf8))
        }
    }
}
