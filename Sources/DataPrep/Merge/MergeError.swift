/// Why `merge-cifar` could not run.
public enum MergeError: Error, Equatable, CustomStringConvertible, Sendable {
    /// `--superclass` named nothing in the CIFAR-100 table.
    case unknownSuperclass(given: String, valid: [String])
    /// `--classes` named fine classes outside the chosen superclass.
    case unknownClasses(given: [String], superclass: String, valid: [String])
    /// An input is not the dataset it was passed as.
    case wrongDataset(path: String, expected: String, found: String)
    /// An input lacks the train or test split.
    case missingSplit(path: String, split: String, has: [String])

    public var description: String {
        switch self {
        case let .unknownSuperclass(given, valid):
            let list = valid.enumerated().map { "\($0.offset) \($0.element)" }.joined(separator: ", ")
            return "unknown CIFAR-100 superclass '\(given)'; choose a name or index: \(list)"
        case let .unknownClasses(given, superclass, valid):
            return "\(given.map { "'\($0)'" }.joined(separator: ", ")) not in superclass \(superclass); its classes are \(valid.joined(separator: ", "))"
        case let .wrongDataset(path, expected, found):
            return "\(path): expected \(expected), found \(found)"
        case let .missingSplit(path, split, has):
            return "\(path): no '\(split)' split (it has \(has.joined(separator: ", ")))"
        }
    }
}
