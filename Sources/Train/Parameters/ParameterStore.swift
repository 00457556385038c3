/// Every parameter of a network in one contiguous float buffer, with a gradient buffer of the
/// same layout, so the optimizer step is one flat loop (llm.c's layout).
///
/// Tensors are named by dotted paths (`layers.0.conv.kernel`) — the names used in checkpoints.
/// Batch-norm moving statistics live here too but are never trainable (Keras counts them as
/// non-trainable parameters).
public final class ParameterStore: @unchecked Sendable {
    /// What a tensor is to its layer.
    public enum Role: String, Codable, Sendable {
        case kernel, bias, gamma, beta
        case movingMean = "moving_mean"
        case movingVariance = "moving_variance"

        /// Moving statistics are state, not parameters the optimizer updates.
        public var isStatistic: Bool { self == .movingMean || self == .movingVariance }
    }

    /// One named tensor inside the buffers.
    public struct Tensor: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        public let offset: Int
        public let count: Int
        public let layer: Int
        public let role: Role
        /// Whether the optimizer updates it (false for statistics and frozen layers).
        public internal(set) var trainable: Bool
        /// Keras kernel regularizer strengths (0 when none).
        public let l1: Float
        public let l2: Float
    }

    public private(set) var tensors: [Tensor]
    /// Total floats.
    public let count: Int
    /// The parameter values, `count` floats.
    public let values: UnsafeMutablePointer<Float>
    /// Gradients, same layout; layers overwrite their own ranges every backward pass.
    public let gradients: UnsafeMutablePointer<Float>

    /// The store whose `values` this one reads (a replica's), kept alive while it lives.
    private let valuesOwner: ParameterStore?

    init(tensors: [Tensor]) {
        self.tensors = tensors
        count = tensors.last.map { $0.offset + $0.count } ?? 0
        values = .allocate(capacity: max(1, count))
        values.initialize(repeating: 0, count: max(1, count))
        gradients = .allocate(capacity: max(1, count))
        gradients.initialize(repeating: 0, count: max(1, count))
        valuesOwner = nil
    }

    /// A store that reads `owner`'s values (the same memory, so every optimizer step is seen at
    /// once) and writes gradients of its own: what a replica of a network computing other
    /// blocks of the same step on another thread needs (`ReplicaTeam`).
    init(sharingValuesOf owner: ParameterStore) {
        tensors = owner.tensors
        count = owner.count
        values = owner.values
        gradients = .allocate(capacity: max(1, count))
        gradients.initialize(repeating: 0, count: max(1, count))
        valuesOwner = owner
    }

    deinit {
        if valuesOwner == nil { values.deallocate() }
        gradients.deallocate()
    }

    /// Takes `other`'s trainable flags (a replica follows its owner's freezing).
    func adoptTrainable(from other: ParameterStore) {
        guard tensors.map(\.trainable) != other.tensors.map(\.trainable) else { return }
        for i in tensors.indices { tensors[i].trainable = other.tensors[i].trainable }
        trainableRanges = Self.ranges(of: tensors)
    }

    public func tensor(named name: String) -> Tensor? { tensors.first { $0.name == name } }

    /// The values of one tensor as an array (for tests and export).
    public func array(_ tensor: Tensor) -> [Float] { Array(UnsafeBufferPointer(start: values + tensor.offset, count: tensor.count)) }

    /// Parameters the optimizer updates.
    public var trainableCount: Int { tensors.filter(\.trainable).reduce(0) { $0 + $1.count } }
    /// Statistics and frozen weights.
    public var nonTrainableCount: Int { count - trainableCount }

    /// Freezes or unfreezes the weights of one layer (statistics stay non-trainable): the hook
    /// for fine-tuning. The optimizer reads `trainableRanges` on every step.
    public func setTrainable(layer: Int, _ trainable: Bool) {
        for i in tensors.indices where tensors[i].layer == layer && !tensors[i].role.isStatistic {
            tensors[i].trainable = trainable
        }
        trainableRanges = Self.ranges(of: tensors)
    }

    /// Contiguous runs of trainable floats, merged, for the optimizer's flat loops.
    public private(set) lazy var trainableRanges: [Range<Int>] = Self.ranges(of: tensors)

    static func ranges(of tensors: [Tensor]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for t in tensors where t.trainable && t.count > 0 {
            if let last = result.last, last.upperBound == t.offset {
                result[result.count - 1] = last.lowerBound..<(t.offset + t.count)
            } else {
                result.append(t.offset..<(t.offset + t.count))
            }
        }
        return result
    }
}
