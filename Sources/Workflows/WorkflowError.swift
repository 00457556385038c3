/// Problems a workflow finds with what it was asked, as opposed to the data: the caller (the
/// CLI) reports them as bad usage (exit 64) rather than as a failed run (exit 1).
public enum WorkflowError: Error, CustomStringConvertible {
    /// A request that cannot be met, e.g. a split the dataset does not have.
    case invalidRequest(String)
    /// A library error that only the data could reveal but that is still the caller's choice
    /// being wrong (a `--freeze` layer name the checkpoint does not have).
    case rejectedChoice(any Error)

    public var description: String {
        switch self {
        case .invalidRequest(let message): return message
        case .rejectedChoice(let error): return "\(error)"
        }
    }
}
