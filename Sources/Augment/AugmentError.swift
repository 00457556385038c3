/// Every way building or loading an augmentation pipeline can fail.
///
/// Each case says where (a JSON path such as `ops[2].degrees`, or a CLI flag), what was expected
/// and what was found. Library code throws these; only the `dataprep` tool decides exit codes.
public enum AugmentError: Error, Equatable, Sendable {
    /// A pipeline document names an operation this library does not have.
    case unknownOperation(at: String, name: String, known: [String])
    /// A field of an operation holds a value outside its allowed range.
    case badValue(at: String, expected: String, found: String)
    /// A pipeline document has a field no operation reads (usually a typo).
    case unknownField(at: String, field: String, allowed: [String])
    /// A pipeline file is not valid JSON or lacks a required field.
    case invalidDocument(path: String, reason: String)
}

extension AugmentError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .unknownOperation(at, name, known):
            return "\(at): unknown operation '\(name)'; known operations: \(known.joined(separator: ", "))"
        case let .badValue(at, expected, found):
            return "\(at): expected \(expected), found \(found)"
        case let .unknownField(at, field, allowed):
            return "\(at): unknown field '\(field)'; allowed: \(allowed.joined(separator: ", "))"
        case let .invalidDocument(path, reason):
            return "\(path): invalid pipeline: \(reason)"
        }
    }
}

/// Checks used by every operation's `validate(at:)`.
enum Check {
    static func range(_ value: Double, _ allowed: ClosedRange<Double>, at path: String) throws(AugmentError) {
        guard value.isFinite, allowed.contains(value) else {
            throw .badValue(at: path, expected: "a number in \(allowed.lowerBound)...\(allowed.upperBound)", found: "\(value)")
        }
    }

    static func ordered(_ low: Double, _ high: Double, at path: String) throws(AugmentError) {
        guard low <= high else { throw .badValue(at: path, expected: "lower <= upper", found: "[\(low), \(high)]") }
    }

    static func probability(_ p: Double, at path: String) throws(AugmentError) {
        try range(p, 0...1, at: path)
    }
}
