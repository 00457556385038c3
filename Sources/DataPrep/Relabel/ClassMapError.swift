/// Why a class map could not be read or applied to a dataset's classes.
public enum ClassMapError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A rule is not `KEYS=NAME` (`rule` is the text as given).
    case syntax(rule: String, reason: String)
    /// A rule maps to an empty class name.
    case emptyName(rule: String)
    /// A key is neither a class name nor a label index of the data.
    case unknownClass(key: String, classNames: [String])
    /// One original class appears in two rules.
    case mappedTwice(className: String, first: String, second: String)
    /// Classes no rule covers, and no `*` rule.
    case unmapped([String])
    /// Every class is dropped.
    case nothingLeft
    /// The map has no rules.
    case empty

    public var description: String {
        switch self {
        case let .syntax(rule, reason): return "class map rule '\(rule)': \(reason)"
        case let .emptyName(rule): return "class map rule '\(rule)' gives an empty class name (write NAME after '=', or '-' to drop)"
        case let .unknownClass(key, names):
            let shown = names.prefix(12).joined(separator: ", ") + (names.count > 12 ? ", …" : "")
            return "class map: no class '\(key)' in the data; keys are class names or label indices 0-\(names.count - 1) "
                + "(the data has \(names.count) classes: \(shown))"
        case let .mappedTwice(name, first, second):
            return "class map: class '\(name)' is mapped twice, by '\(first)' and by '\(second)'"
        case let .unmapped(names):
            return "class map: classes \(names.joined(separator: ", ")) are not mapped; map them, "
                + "add '*=NAME' to put every other class in NAME, or '*=-' to drop their samples"
        case .nothingLeft: return "class map drops every class: nothing would be left"
        case .empty: return "class map is empty: write rules like '0,1,2,3,4=lt5;5,6,7,8,9=ge5'"
        }
    }
}
