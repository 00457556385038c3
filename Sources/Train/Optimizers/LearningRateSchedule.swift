#if canImport(Glibc)
import Glibc
#endif

/// How the learning rate changes from epoch to epoch (applied at the start of each epoch).
public enum LearningRateSchedule: Codable, Equatable, Sendable, CustomStringConvertible {
    case constant
    /// Multiply by `factor` every `every` epochs (`step:10:0.5`).
    case step(every: Int, factor: Float)
    /// Cosine decay from the base rate to 0 over `epochs` epochs (`cosine`).
    case cosine

    /// Parses `constant`, `step:EVERY:FACTOR` or `cosine`.
    public init(parsing text: String) throws {
        let parts = text.lowercased().split(separator: ":").map(String.init)
        switch parts.first {
        case "constant" where parts.count == 1: self = .constant
        case "cosine" where parts.count == 1: self = .cosine
        case "step" where parts.count == 3:
            guard let every = Int(parts[1]), every > 0, let factor = Float(parts[2]), factor > 0 else { fallthrough }
            self = .step(every: every, factor: factor)
        default:
            throw TrainError.invalidConfiguration(reason: "learning-rate schedule \"\(text)\": expected constant, cosine or step:EVERY:FACTOR (e.g. step:10:0.5)")
        }
    }

    /// The rate for 0-based `epoch` of `epochs`.
    public func rate(base: Float, epoch: Int, epochs: Int) -> Float {
        switch self {
        case .constant: return base
        case let .step(every, factor): return base * powf(factor, Float(epoch / every))
        case .cosine: return base * 0.5 * (1 + cosf(Float.pi * Float(epoch) / Float(max(1, epochs))))
        }
    }

    public var description: String {
        switch self {
        case .constant: return "constant"
        case let .step(every, factor): return "step:\(every):\(factor)"
        case .cosine: return "cosine"
        }
    }
}
