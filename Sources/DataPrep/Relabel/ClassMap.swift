import Foundation

/// A relabelling of a dataset's classes, as the user writes it: `--map "0,1,2,3,4=lt5;5,6,7,8,9=ge5"`.
///
/// Rules are `KEYS=NAME`, separated by `;` or new lines. KEYS are comma-separated original
/// classes, each a class name or, when no class has that name, a label index (MNIST's classes
/// are named `0`…`9`, so both read the same). NAME is the new class; several rules may give the
/// same NAME, and the new classes are numbered in the order their names first appear. Two
/// special forms:
/// * NAME `-` drops the samples of those classes (`8,9=-`);
/// * KEYS `*` stands for every class no other rule names (`*=other`, or `*=-` to drop them).
///
/// Every original class must be mapped exactly once: an unmapped class is an error naming it
/// unless a `*` rule catches it, so a typo cannot silently lose data. Parsing checks the text
/// alone; `resolved(against:)` checks it against a dataset's class names.
public struct ClassMap: Equatable, Sendable {
    /// Where a rule sends its classes.
    public enum Target: Equatable, Sendable {
        case named(String)
        /// The samples are left out.
        case drop
    }

    /// One `KEYS=NAME` rule; `keys == ["*"]` is the catch-all.
    public struct Rule: Equatable, Sendable {
        public var keys: [String]
        public var target: Target
        /// The rule as written, for error messages.
        public var text: String

        public init(keys: [String], target: Target, text: String) { self.keys = keys; self.target = target; self.text = text }

        var isCatchAll: Bool { keys == ["*"] }
    }

    /// In the order written.
    public var rules: [Rule]

    public init(rules: [Rule]) { self.rules = rules }

    /// Parses the `--map` text form (rules separated by `;` or new lines).
    public init(parsing text: String) throws(ClassMapError) {
        var rules: [Rule] = []
        for piece in text.split(whereSeparator: { $0 == ";" || $0 == "\n" || $0 == "\r" }) {
            let written = piece.trimmingCharacters(in: .whitespaces)
            if written.isEmpty { continue }
            rules.append(try Self.rule(written))
        }
        guard !rules.isEmpty else { throw .empty }
        guard rules.filter(\.isCatchAll).count <= 1 else {
            throw .syntax(rule: rules.filter(\.isCatchAll)[1].text, reason: "only one '*' rule is allowed")
        }
        self.rules = rules
    }

    /// Parses a `--classes-from` file: the text form, one or more rules per line, `#` starting
    /// a comment that runs to the end of the line.
    public init(file text: String) throws(ClassMapError) {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" })
        try self.init(parsing: lines.map { $0.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }
            .joined(separator: "\n"))
    }

    private static func rule(_ written: String) throws(ClassMapError) -> Rule {
        let sides = written.split(separator: "=", omittingEmptySubsequences: false)
        guard sides.count == 2 else {
            throw .syntax(rule: written, reason: sides.count < 2 ? "expected KEYS=NAME (no '=')" : "expected KEYS=NAME (more than one '=')")
        }
        let keys = sides[0].split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        if let blank = keys.firstIndex(of: "") {
            throw .syntax(rule: written, reason: keys.count == 1 ? "no class before '='" : "empty class key at position \(blank + 1)")
        }
        if keys.contains("*") && keys.count > 1 { throw .syntax(rule: written, reason: "'*' must stand alone before '='") }
        let name = sides[1].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw .emptyName(rule: written) }
        return Rule(keys: keys, target: name == "-" ? .drop : .named(name), text: written)
    }

    /// The map applied to classes `classNames` (index = label): where every label goes.
    ///
    /// - Throws: `unknownClass` for a key that names no class, `mappedTwice` for a class two
    ///   rules name, `unmapped` for classes no rule covers (without `*`), `nothingLeft` when
    ///   every class is dropped.
    public func resolved(against classNames: [String]) throws(ClassMapError) -> ClassRelabeling {
        var assigned = [Target?](repeating: nil, count: classNames.count)
        var by = [String?](repeating: nil, count: classNames.count)
        for rule in rules where !rule.isCatchAll {
            for key in rule.keys {
                let label = try Self.label(of: key, in: classNames)
                if let first = by[label] { throw .mappedTwice(className: classNames[label], first: first, second: rule.text) }
                assigned[label] = rule.target; by[label] = rule.text
            }
        }
        let catchAll = rules.first(where: \.isCatchAll)
        let unmapped = classNames.indices.filter { assigned[$0] == nil }
        if let catchAll {
            for label in unmapped { assigned[label] = catchAll.target }
        } else if !unmapped.isEmpty {
            throw .unmapped(unmapped.map { classNames[$0] })
        }
        // New classes in the order their names first appear; the catch-all's name only if it catches something.
        var names: [String] = []
        for rule in rules {
            guard case let .named(name) = rule.target, !names.contains(name) else { continue }
            if rule.isCatchAll && unmapped.isEmpty { continue }
            names.append(name)
        }
        guard !names.isEmpty else { throw .nothingLeft }
        let labels = assigned.map { target -> Int? in
            guard case let .named(name)? = target else { return nil }
            return names.firstIndex(of: name)
        }
        return ClassRelabeling(originalClassNames: classNames, classNames: names, labels: labels)
    }

    /// A class name first, then a label index.
    private static func label(of key: String, in classNames: [String]) throws(ClassMapError) -> Int {
        if let named = classNames.firstIndex(of: key) { return named }
        if let index = Int(key), classNames.indices.contains(index) { return index }
        throw .unknownClass(key: key, classNames: classNames)
    }
}
