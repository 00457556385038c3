import Foundation
import Train

/// A model spec with `{name}` placeholders (`"conv {filters} {kernel} same relu, …"`), filled
/// from a variant's settings. A placeholder is `{` + a name (letters, digits, `-`, `_`) + `}`, so
/// the braces of inline JSON (`{"layers": …}`) are never taken for one. After filling, a block
/// `[LAYERS]*N` of spec text is written out N times (`[conv 32 3 same relu]*{depth}`), so depth
/// sweeps over a count like any other placeholder.
struct ModelTemplate {
    let text: String

    /// The placeholder names in the order they first appear.
    var placeholders: [String] {
        var names: [String] = []
        for range in placeholderRanges() {
            let name = String(text[text.index(after: range.lowerBound)..<text.index(before: range.upperBound)])
            if !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// The text with every placeholder replaced by its value.
    /// - Throws: `SweepError.unfilledPlaceholder` naming the first placeholder without a value.
    func filled(with values: [String: String], variant: String) throws -> String {
        var result = "", cursor = text.startIndex
        for range in placeholderRanges() {
            let name = String(text[text.index(after: range.lowerBound)..<text.index(before: range.upperBound)])
            guard let value = values[name] else { throw SweepError.unfilledPlaceholder(variant: variant, placeholder: name) }
            result += text[cursor..<range.lowerBound] + value
            cursor = range.upperBound
        }
        return try Self.expandingBlocks(result + text[cursor...], variant: variant)
    }

    /// `[A, B]*3` → `A, B, A, B, A, B` in spec text (inline JSON is left alone).
    static func expandingBlocks(_ text: String, variant: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("{") && !trimmed.hasPrefix("[{") else { return text }
        var result = "", rest = text[...]
        while let open = rest.firstIndex(of: "["), let close = rest[open...].firstIndex(of: "]") {
            var after = rest[rest.index(after: close)...].drop { $0 == " " }
            guard after.first == "*" else {
                result += rest[...close]
                rest = rest[rest.index(after: close)...]
                continue
            }
            after = after.dropFirst().drop { $0 == " " }
            let digits = after.prefix { $0.isASCII && $0.isNumber }
            guard let count = Int(digits), count >= 1, count <= 1000 else {
                throw SweepError.invalidSetting(variant: variant, flag: "--model", reason: "a block [LAYERS]*N needs a count N in 1...1000, got '\(after.prefix(8))'")
            }
            let block = rest[rest.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            result += rest[..<open] + Array(repeating: block, count: count).joined(separator: ", ")
            rest = after[digits.endIndex...]
        }
        return result + rest
    }

    private func placeholderRanges() -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var index = text.startIndex
        while let open = text[index...].firstIndex(of: "{") {
            var end = text.index(after: open)
            while end < text.endIndex, text[end].isASCII, text[end].isLetter || text[end].isNumber || "-_".contains(text[end]) {
                end = text.index(after: end)
            }
            if end < text.endIndex, text[end] == "}", end > text.index(after: open) {
                ranges.append(open..<text.index(after: end))
                index = text.index(after: end)
            } else {
                index = text.index(after: open)
            }
        }
        return ranges
    }
}
