extension Predictions {
    /// The per-sample table: `index,source,true,predicted,p_<class>…`, one row per sample in
    /// dataset order. Class names are written as names (not indices) so the file reads on its
    /// own; fields are quoted as RFC 4180 asks when they hold commas, quotes or line breaks.
    ///
    /// - Parameters:
    ///   - sources: where each sample came from (file path, or `file#record`); empty strings
    ///     when unknown.
    ///   - classNames: one per probability column.
    public func csv(sources: [String], classNames: [String]) -> String {
        precondition(classNames.count == classes, "need \(classes) class names, got \(classNames.count)")
        precondition(sources.isEmpty || sources.count == count, "need \(count) sources, got \(sources.count)")
        var out = (["index", "source", "true", "predicted"] + classNames.map { "p_" + $0 }).map(Self.field).joined(separator: ",") + "\n"
        out.reserveCapacity(out.utf8.count * 2 + count * (24 + classes * 12))
        for i in 0..<count {
            var fields = [String(i), Self.field(sources.isEmpty ? "" : sources[i]),
                          Self.field(classNames[labels[i]]), Self.field(classNames[predicted[i]])]
            for p in probabilities(of: i) { fields.append("\(p)") }
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    /// One CSV field, quoted when it must be.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
