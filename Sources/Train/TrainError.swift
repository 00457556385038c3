/// Everything that can go wrong in the training module on bad input: a model spec that does not
/// parse or does not fit its input, a checkpoint that is corrupt or belongs to another model.
/// Each case names the file or spec text and what was expected versus found.
public enum TrainError: Error, Equatable, CustomStringConvertible {
    /// A model spec (text or JSON) that does not parse; `item` is the offending layer text.
    case invalidSpec(spec: String, item: String, reason: String)
    /// A layer that cannot take the shape it receives (e.g. a 3x3 valid conv on a 2x2 input).
    case shapeMismatch(layer: String, reason: String)
    /// A checkpoint file that cannot be decoded (truncated, lying header, bad JSON, wrong dtype).
    case corruptCheckpoint(path: String, reason: String)
    /// Tensors the model expects but the checkpoint lacks, and tensors it has that the model does not.
    case tensorNamesDiffer(path: String, missing: [String], unexpected: [String])
    /// A tensor whose shape differs from the model's.
    case tensorShapeMismatch(path: String, name: String, expected: [Int], found: [Int])
    /// Data that does not fit the model (class count, input shape).
    case incompatibleData(reason: String)
    /// A bad training option (learning-rate schedule text, resume folder without a checkpoint).
    case invalidConfiguration(reason: String)
    /// A loss that became NaN or infinite (`what`: "training loss", "validation loss"): the
    /// weights diverged. `epoch` is 1-based, `step` the optimizer step (1-based) that produced it.
    case nonFiniteLoss(what: String, value: Double, epoch: Int, step: Int)
    /// An output folder that cannot be used as asked (a non-run folder, an earlier run without
    /// `--resume`/`--overwrite`).
    case outputRefused(path: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidSpec(spec, item, reason):
            return "model spec \"\(spec)\": layer \"\(item)\": \(reason)"
        case let .shapeMismatch(layer, reason):
            return "layer \(layer): \(reason)"
        case let .corruptCheckpoint(path, reason):
            return "\(path): corrupt checkpoint: \(reason)"
        case let .tensorNamesDiffer(path, missing, unexpected):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing tensors: \(missing.joined(separator: ", "))") }
            if !unexpected.isEmpty { parts.append("unexpected tensors: \(unexpected.joined(separator: ", "))") }
            return "\(path): checkpoint does not match the model: \(parts.joined(separator: "; "))"
        case let .tensorShapeMismatch(path, name, expected, found):
            return "\(path): tensor \(name) has shape \(found), the model expects \(expected)"
        case let .incompatibleData(reason):
            return "data does not fit the model: \(reason)"
        case let .invalidConfiguration(reason):
            return reason
        case let .nonFiniteLoss(what, value, epoch, step):
            let when = what == "training loss" ? "training stopped before that step was applied"
                                               : "the weights after that step are not saved"
            return "\(what) is \(value) at epoch \(epoch), step \(step): the weights diverged (try a lower --lr or a smaller penalty); "
                + "\(when), and nothing of epoch \(epoch) was saved"
        case let .outputRefused(path, reason):
            return "\(path): \(reason)"
        }
    }
}
