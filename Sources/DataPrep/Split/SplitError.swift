/// Why a split could not be planned.
public enum SplitError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The sizes, ratios or names given make no sense.
    case invalidSpec(String)
    /// A class has fewer samples than the per-class counts need.
    case notEnoughSamples(className: String, available: Int, needed: Int, perSplit: [(String, Int)])
    /// Nothing to split.
    case emptySource(String)

    public var description: String {
        switch self {
        case let .invalidSpec(reason): return "invalid split: \(reason)"
        case let .notEnoughSamples(name, available, needed, perSplit):
            let wanted = perSplit.map { "\($0.1) \($0.0)" }.joined(separator: " + ")
            return "class '\(name)' has \(available) samples but \(wanted) needs \(needed); "
                + "lower the counts or pass --allow-short to take the \(available) it has"
        case let .emptySource(reason): return "nothing to split: \(reason)"
        }
    }

    public static func == (lhs: SplitError, rhs: SplitError) -> Bool { lhs.description == rhs.description }
}
