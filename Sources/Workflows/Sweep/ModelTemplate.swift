import Train

/// A model spec with `{name}` placeholders (`"conv {filters} {kernel} same relu, …"`), filled
/// from a variant's settings. A placeholder is `{` + a name (letters, digits, `-`, `_`) + `}`, so
/// the braces of inline JSON (`{"layers": …}`) are never taken for one.
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
        return result + text[cursor...]
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
