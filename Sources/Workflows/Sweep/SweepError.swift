/// What is wrong with a sweep's definition or its output folder. Definition errors are found
/// before anything trains and name the variant and the flag (or placeholder) at fault.
public enum SweepError: Error, CustomStringConvertible, Equatable {
    /// A `--grid` (or `--variants` entry) that does not parse: `flag` is how it was given.
    case invalidGrid(flag: String, reason: String)
    /// A variant's setting that no train option or model placeholder takes, or whose value does
    /// not parse: `variant` is the variant's folder name, `flag` the option (`--lr`) or `{placeholder}`.
    case invalidSetting(variant: String, flag: String, reason: String)
    /// A `{name}` left in a variant's model spec with no grid or variant value for it.
    case unfilledPlaceholder(variant: String, placeholder: String)
    /// The sweep folder already holds a sweep whose recorded definition differs (`--resume`),
    /// or something that is not a sweep.
    case outputRefused(path: String, reason: String)

    /// Whether the caller's request is at fault (bad usage), not the files found.
    public var isUsage: Bool {
        if case .outputRefused = self { return false }
        return true
    }

    public var description: String {
        switch self {
        case .invalidGrid(let flag, let reason): return "\(flag): \(reason)"
        case .invalidSetting(let variant, let flag, let reason): return "variant \(variant): \(flag): \(reason)"
        case .unfilledPlaceholder(let variant, let placeholder):
            return "variant \(variant): the model spec's {\(placeholder)} has no value: add --grid \(placeholder)=V1,V2,… or a \(placeholder) key to --variants"
        case .outputRefused(let path, let reason): return "\(path): \(reason)"
        }
    }
}
