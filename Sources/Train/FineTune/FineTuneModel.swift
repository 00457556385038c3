import DataPrep

/// What a fine-tune changes in a checkpoint's model: its classes (the head grows when the data
/// has more), the layers it freezes, and whether the head starts over.
public struct FineTunePlan: Equatable, Sendable {
    public var classes: ClassExtension
    /// 0-based layer indices to freeze (`FreezeSelection.layerIndices`); every other layer trains,
    /// whatever the checkpoint's spec said, so the selection alone describes the run.
    public var frozenLayers: [Int]
    /// Reinitializes the whole head (kernel and bias) instead of keeping the old classes' weights.
    public var reinitializeHead = false
    /// Seeds the new head weights (tensor `t` draws from `SeededGenerator(seed, initialization, index: t)`,
    /// as a fresh `Network` would).
    public var seed: UInt64
    /// Keras kernel regularizers for conv/dense layers without their own (as `train --l1/--l2`).
    public var l1: Float?
    public var l2: Float?

    public init(classes: ClassExtension, frozenLayers: [Int], reinitializeHead: Bool = false, seed: UInt64,
                l1: Float? = nil, l2: Float? = nil) {
        self.classes = classes; self.frozenLayers = frozenLayers; self.reinitializeHead = reinitializeHead
        self.seed = seed; self.l1 = l1; self.l2 = l2
    }
}

/// Builds the network a fine-tune starts from: the checkpoint's layers and weights, the head
/// grown to the new class count, the chosen layers frozen.
///
/// Head extension keeps the checkpoint's tensor names and only changes the head's shapes: the
/// dense kernel `layers.{h}.dense.kernel` goes from (in, K) to (in, K'), its bias from (K) to
/// (K'). The kernel is row-major (in, out), so old class `j` is column `j` of every row:
/// `new[r * K' + j] = old[r * K + j]` for `j < K`, bit for bit, and the old classes' logits are
/// unchanged before the first step. The new columns come from the layer's initializer (Glorot
/// with fan-out K', or He) seeded like a fresh network, the new biases are 0. A checkpoint
/// saved afterwards is a normal checkpoint of a K'-class model; it no longer loads into the
/// K-class spec (the loader is strict about shapes).
public enum FineTuneModel {
    /// The index of the head: the last dense layer, when only activation and dropout layers
    /// follow it (they keep its width). Nil when the model does not end that way.
    public static func headLayer(of spec: ModelSpec) -> Int? {
        guard let h = spec.layers.lastIndex(where: { $0.type == .dense }) else { return nil }
        let tail = spec.layers[(h + 1)...]
        return tail.allSatisfy { $0.type == .activation || $0.type == .dropout } ? h : nil
    }

    /// The fine-tuned spec: head units K' (when classes are added), `frozen` on exactly the
    /// planned layers, default regularizers applied.
    public static func spec(from source: ModelSpec, plan: FineTunePlan) throws -> ModelSpec {
        var spec = source
        for i in spec.layers.indices { spec.layers[i].isTrainable = !plan.frozenLayers.contains(i) }
        if let outOfRange = plan.frozenLayers.first(where: { $0 < 0 || $0 >= spec.layers.count }) {
            throw TrainError.invalidConfiguration(reason: "cannot freeze layer \(outOfRange): the model has \(spec.layers.count) layers")
        }
        if !plan.classes.added.isEmpty || plan.reinitializeHead {
            guard let h = headLayer(of: source) else {
                throw TrainError.incompatibleData(reason: "the model does not end in a dense layer (followed only by activation or "
                    + "dropout), so its head cannot be \(plan.reinitializeHead ? "reinitialized" : "extended")")
            }
            guard case .dense(var head) = source.layers[h] else { preconditionFailure("headLayer(of:) returns a dense layer") }
            let units = head.units
            if !plan.classes.added.isEmpty {
                guard units == plan.classes.kept.count else {
                    throw TrainError.incompatibleData(reason: "the head (layer \(h)) has \(units) outputs for the checkpoint's "
                        + "\(plan.classes.kept.count) classes; only a head with one output per class (softmax) can take new classes")
                }
                head.units = plan.classes.classNames.count
                head.trainable = spec.layers[h].isTrainable
                spec.layers[h] = .dense(head)
            }
            guard !plan.frozenLayers.contains(h) else {
                throw TrainError.invalidConfiguration(reason: "the head (layer \(h)) is "
                    + (plan.reinitializeHead ? "reinitialized" : "extended to \(plan.classes.classNames.count) classes")
                    + " and must train: freeze fewer layers")
            }
        }
        return spec.withDefaultRegularizers(l1: plan.l1, l2: plan.l2)
    }

    /// A new network for `plan`, with `source`'s weights copied in (the head as described above).
    ///
    /// - Throws: `TrainError` when the head cannot take the new classes, the head would be
    ///   frozen while it must learn, or nothing is left to train.
    public static func build(from source: Network, plan: FineTunePlan, threads: Int = 1) throws -> Network {
        let spec = try spec(from: source.spec, plan: plan)
        let network = try Network(spec: spec, input: source.inputShape, seed: plan.seed, threads: threads)
        let head = !plan.classes.added.isEmpty || plan.reinitializeHead ? headLayer(of: source.spec) : nil
        for t in network.parameters.tensors {
            guard let old = source.parameters.tensor(named: t.name) else {
                preconditionFailure("fine-tuned tensor \(t.name) has no source tensor: the specs differ beyond the head")
            }
            let from = source.parameters.values + old.offset, to = network.parameters.values + t.offset
            if t.layer == head {
                if plan.reinitializeHead { continue }
                copyHead(from, shape: old.shape, into: to, shape: t.shape)
            } else {
                precondition(old.shape == t.shape, "tensor \(t.name): \(old.shape) vs \(t.shape)")
                to.update(from: from, count: t.count)
            }
        }
        guard network.parameters.trainableCount > 0 else {
            throw TrainError.invalidConfiguration(reason: "every layer with weights is frozen: nothing left to train (freeze fewer layers)")
        }
        return network
    }

    /// Copies the old classes' part of a head tensor: kernel (in, K) into the first K columns
    /// of (in, K'), bias (K) into the first K entries of (K').
    static func copyHead(_ old: UnsafePointer<Float>, shape oldShape: [Int], into new: UnsafeMutablePointer<Float>, shape newShape: [Int]) {
        precondition(oldShape.count == newShape.count && oldShape.dropLast() == newShape.dropLast()
                     && oldShape.last! <= newShape.last!, "head shapes \(oldShape) -> \(newShape)")
        // kernel (in, K) -> (in, K'); bias (K) -> (K'): rows of K old values, stride K'.
        let k = oldShape.last!, kNew = newShape.last!, rows = oldShape.dropLast().reduce(1, *)
        for r in 0..<rows { (new + r * kNew).update(from: old + r * k, count: k) }
    }
}
