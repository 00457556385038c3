import DataPrep
import Foundation

/// A self-contained HTML page: inline style, charts as inline SVG, images embedded as base64
/// `data:` URIs, tables as HTML, and a Content-Security-Policy that forbids every external load, so the file opens
/// the same anywhere (mailed, archived, offline) and cannot reach the network.
///
/// Every text passed in is escaped; only the builder writes markup.
public struct HTMLPage: Sendable {
    public var title: String
    private var body: [String] = []

    public init(title: String) { self.title = title }

    /// Escapes `&`, `<`, `>`, `"` and `'` so any text is safe in element content and in
    /// quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// A section heading (`level` 2...4; the page title is the only `h1`).
    public mutating func heading(_ text: String, level: Int = 2) {
        let l = min(max(level, 2), 4)
        body.append("<h\(l)>\(Self.escape(text))</h\(l)>")
    }

    /// A paragraph of plain text.
    public mutating func paragraph(_ text: String, className: String? = nil) {
        body.append("<p\(className.map { " class=\"\(Self.escape($0))\"" } ?? "")>\(Self.escape(text))</p>")
    }

    /// Label/value pairs as a definition list (run facts, metrics).
    public mutating func facts(_ pairs: [(String, String)]) {
        let items = pairs.map { "<dt>\(Self.escape($0.0))</dt><dd>\(Self.escape($0.1))</dd>" }.joined()
        body.append("<dl>\(items)</dl>")
    }

    /// A PNG embedded as a data URI, with its pixel size so the layout does not jump.
    public mutating func image(png: [UInt8], width: Int, height: Int, alt: String, id: String? = nil) {
        let uri = "data:image/png;base64," + Data(png).base64EncodedString()
        body.append("<figure><img\(id.map { " id=\"\(Self.escape($0))\"" } ?? "") src=\"\(uri)\" width=\"\(width)\" height=\"\(height)\" alt=\"\(Self.escape(alt))\"></figure>")
    }

    /// Markup made by another builder of this module (inline SVG), appended as it is.
    mutating func raw(_ markup: String) { body.append(markup) }

    /// A table. Cells are text; columns listed in `numeric` are right-aligned; rows listed in
    /// `emphasized` (e.g. averages) are drawn bold; columns listed in `highlighted` (the
    /// metric a ranking follows) are shaded.
    public mutating func table(headers: [String], rows: [[String]], id: String? = nil, caption: String? = nil,
                               numeric: Set<Int> = [], emphasized: Set<Int> = [], highlighted: Set<Int> = []) {
        func cellClass(_ i: Int) -> String {
            let names = (numeric.contains(i) ? ["num"] : []) + (highlighted.contains(i) ? ["hi"] : [])
            return names.isEmpty ? "" : " class=\"\(names.joined(separator: " "))\""
        }
        var html = "<table\(id.map { " id=\"\(Self.escape($0))\"" } ?? "")>"
        if let caption { html += "<caption>\(Self.escape(caption))</caption>" }
        html += "<thead><tr>" + headers.enumerated().map { i, h in
            "<th\(cellClass(i))>\(Self.escape(h))</th>"
        }.joined() + "</tr></thead><tbody>"
        for (r, row) in rows.enumerated() {
            html += "<tr\(emphasized.contains(r) ? " class=\"em\"" : "")>" + row.enumerated().map { i, cell in
                "<td\(cellClass(i))>\(Self.escape(cell))</td>"
            }.joined() + "</tr>"
        }
        body.append(html + "</tbody></table>")
    }

    /// Preformatted text (model summaries, JSON).
    public mutating func preformatted(_ text: String) {
        body.append("<pre>\(Self.escape(text))</pre>")
    }

    /// A footnote in small print.
    public mutating func note(_ text: String) { paragraph(text, className: "note") }

    static let style = """
    body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1040px;padding:0 1em;color:#222}
    h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}
    table{border-collapse:collapse;margin:.6em 0;font-variant-numeric:tabular-nums}
    th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}th{background:#f3f3f3}
    td.num,th.num{text-align:right}tr.em td{font-weight:600;background:#fafafa}td.hi,th.hi{background:#fff3cd;font-weight:600}
    caption{text-align:left;color:#555;padding-bottom:.3em}
    dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{color:#555}dd{margin:0}
    figure{margin:1em 0}img{max-width:100%;height:auto;image-rendering:pixelated}figure.chart svg{max-width:100%;height:auto;display:block}
    pre{background:#f6f6f6;padding:.6em;overflow-x:auto}.note{color:#555;font-size:.9em}
    """

    /// The whole document.
    public var html: String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title))</title>
        <style>
        \(Self.style)
        </style>
        </head>
        <body>
        <h1>\(Self.escape(title))</h1>
        \(body.joined(separator: "\n"))
        </body>
        </html>

        """
    }

    /// Writes the document as UTF-8, atomically.
    public func write(to path: String) throws {
        try FileIO.writeAtomically(Array(html.utf8), to: path)
    }
}
