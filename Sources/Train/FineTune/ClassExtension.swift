/// How a fine-tune's classes relate to its checkpoint's: the checkpoint's classes kept as the
/// first outputs, in their order, and the data's further classes appended after them.
///
/// Keeping the old classes as a prefix is what lets the head grow without renumbering: output
/// `i < K` still means what it meant, so its weights can be kept bit for bit. `merge-cifar`
/// writes its classes this way (CIFAR-10's ten names, then the superclass's fine classes).
public struct ClassExtension: Equatable, Sendable {
    /// The checkpoint's classes (outputs 0..<K).
    public let kept: [String]
    /// The data's classes beyond the checkpoint's (outputs K..<K'), possibly none.
    public let added: [String]

    /// All classes of the fine-tuned model, in output order.
    public var classNames: [String] { kept + added }

    /// Matches `data`'s class names against `checkpoint`'s.
    ///
    /// - Throws: `TrainError.incompatibleData` naming the first position where the names
    ///   differ, or the checkpoint classes the data lacks.
    public init(checkpoint: [String], data: [String]) throws {
        for (i, name) in checkpoint.enumerated() where i < data.count && data[i] != name {
            throw TrainError.incompatibleData(
                reason: "class \(i) of the data is \"\(data[i])\", the checkpoint's class \(i) is \"\(name)\": "
                    + "fine-tune needs the checkpoint's \(checkpoint.count) classes first, in the same order, then the new ones "
                    + "(as merge-cifar writes them)")
        }
        guard data.count >= checkpoint.count else {
            let missing = checkpoint[data.count...]
            throw TrainError.incompatibleData(
                reason: "the data has \(data.count) classes, the checkpoint \(checkpoint.count): the data lacks "
                    + "\(missing.prefix(8).joined(separator: ", "))\(missing.count > 8 ? "…" : "") "
                    + "(fine-tune keeps every checkpoint class and can only add classes after them)")
        }
        kept = checkpoint
        added = Array(data[checkpoint.count...])
    }
}
