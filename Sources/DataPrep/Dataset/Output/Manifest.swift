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
        var out = "split,index,source,label,class,sha256" + (relabeled ? ",original_label,original_class\n" : "\n")
        out.reserveCapacity(rows.count * 120)
        for row in rows {
            var fields = [row.split, String(row.index), quote(row.source), String(row.label), quote(row.className), row.sha256]
            if relabeled { fields += [row.originalLabel.map(String.init) ?? "", quote(row.originalClassName ?? "")] }
            out += fields.joined(separator: ",")
            out += "\n"
        }
        return out
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

import Foundation
