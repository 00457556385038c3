/// The manifest files: one row per written sample, so any output image can be traced to its
/// source file and checked against it.
public enum Manifest {
    /// `manifest.json`.
    public struct Document: Codable, Equatable, Sendable {
        public var seed: UInt64?
        public var command: String
        public var source: String
        public var classNames: [String]
        public var samples: [ManifestRow]
    }

    /// `manifest.csv`: header `split,index,source,label,class,sha256`, RFC 4180 quoting; with
    /// `original_label,original_class` appended when the classes were relabelled (`--map`).
    public static func csv(_ rows: [ManifestRow]) -> String {
        let relabeled = rows.contains { $0.originalLabel != nil }
        return csvHeader(relabeled: relabeled) + rows.map { csvLine($0, relabeled: relabeled) }.joined()
    }

    static func csvHeader(relabeled: Bool) -> String {
        "split,index,source,label,class,sha256" + (relabeled ? ",original_label,original_class\n" : "\n")
    }

    static func csvLine(_ row: ManifestRow, relabeled: Bool) -> String {
        var fields = [row.split, String(row.index), quote(row.source), String(row.label), quote(row.className), row.sha256]
        if relabeled { fields += [row.originalLabel.map(String.init) ?? "", quote(row.originalClassName ?? "")] }
        return fields.joined(separator: ",") + "\n"
    }

    /// Rows encoded per chunk by the streaming writers: bounds the text in memory whatever the
    /// manifest's size (a whole 200k-row document held ~100 MB of encoder state at once).
    static let chunkRows = 4096

    /// `csv(rows)`, handed to `write` a chunk of rows at a time.
    public static func writeCSV(_ rows: [ManifestRow], to write: (UnsafeRawBufferPointer) throws -> Void) throws {
        try writeCSV(ManifestTable(rows: rows), to: write)
    }

    /// The CSV of `table`'s rows, made and handed to `write` a chunk at a time.
    public static func writeCSV(_ table: ManifestTable, to write: (UnsafeRawBufferPointer) throws -> Void) throws {
        let relabeled = table.isRelabeled
        var header = Array(csvHeader(relabeled: relabeled).utf8)
        try header.withUnsafeMutableBytes { try write(UnsafeRawBufferPointer($0)) }
        for start in stride(from: 0, to: table.count, by: chunkRows) {
            var chunk = Array((start..<min(start + chunkRows, table.count)).map { csvLine(table[$0], relabeled: relabeled) }.joined().utf8)
            try chunk.withUnsafeMutableBytes { try write(UnsafeRawBufferPointer($0)) }
        }
    }

    /// The bytes of `StableJSON.encode(document)`, handed to `write` a chunk of samples at a
    /// time: the document without samples is encoded once and each row on its own, indented to
    /// its depth (two levels: four spaces), which is exactly what the encoder's pretty printing
    /// writes for the whole document (`ManifestStreamingTests` compares them byte for byte).
    public static func writeJSON(_ document: Document, to write: (UnsafeRawBufferPointer) throws -> Void) throws {
        try writeJSON(document, samples: ManifestTable(rows: document.samples), to: write)
    }

    /// `writeJSON` of `document` with `samples` as its samples (its own are ignored): the rows
    /// are made from the table one chunk at a time.
    public static func writeJSON(_ document: Document, samples: ManifestTable, to write: (UnsafeRawBufferPointer) throws -> Void) throws {
        var shell = document
        shell.samples = []
        let text = try StableJSON.encode(shell)
        let key = Array("\"samples\" : [".utf8)
        guard !samples.isEmpty, let keyStart = text.firstRange(of: key),
              let close = text[keyStart.upperBound...].firstIndex(of: UInt8(ascii: "]")) else {
            return try text.withUnsafeBytes { try write($0) }
        }
        try text[..<keyStart.upperBound].withUnsafeBytes { try write($0) }
        for start in stride(from: 0, to: samples.count, by: chunkRows) {
            var chunk: [UInt8] = []
            for i in start..<min(start + chunkRows, samples.count) {
                chunk += i == 0 ? [0x0A] : [0x2C, 0x0A]  // "\n" before the first, ",\n" between
                var encoded = try StableJSON.encode(samples[i])
                encoded.removeLast()  // StableJSON's trailing newline
                chunk += [0x20, 0x20, 0x20, 0x20]
                for byte in encoded {
                    chunk.append(byte)
                    if byte == 0x0A { chunk += [0x20, 0x20, 0x20, 0x20] }
                }
            }
            try chunk.withUnsafeBytes { try write($0) }
        }
        let tail = Array("\n  ".utf8) + text[close...]
        try tail.withUnsafeBytes { try write($0) }
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation
