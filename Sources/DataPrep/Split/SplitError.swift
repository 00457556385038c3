/// Why a split could not be planned.
public enum SplitError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The sizes, ratios or names given make no sense.
    case invalidSpec(String)
    /// A class has fewer samples than the per-class counts need.
    case notEnoughSamples(className: String, available: Int, needed: Int, perSplit: [(String, Int)])
    /// Nothing to split.
    case emptySource(String)
    /// Fewer than two classes have samples: a classifier cannot learn from one, and it is
    /// usually a misread layout (a wrapping folder taken for the only class).
    case singleClass(source: String, classNames: [String])

    public var description: String {
        switch self {
        case let .invalidSpec(reason): return "invalid split: \(reason)"
        case let .notEnoughSamples(name, available, needed, perSplit):
            let wanted = perSplit.map { "\($0.1) \($0.0)" }.joined(separator: " + ")
            return "class '\(name)' has \(available) samples but \(wanted) needs \(needed); "
                + "lower the counts or pass --allow-short to take the \(available) it has"
        case let .emptySource(reason): return "nothing to split: \(reason)"
        case let .singleClass(source, names):
            let found = names.isEmpty ? "no class has" : "only class '\(names.joined())' has"
            return "\(source): \(found) samples; a classifier needs at least two. Check the layout (one folder per class, "
                + "or names like cat.1.jpg) or pass --allow-single-class if one class is really meant"
        }
    }

    public static func == (lhs: SplitError, rhs: SplitError) -> Bool { lhs.description == rhs.description }
}
