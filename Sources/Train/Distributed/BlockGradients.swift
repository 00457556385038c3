/// A step's parameter gradients block by block, and their sum in block order.
///
/// After a layer's backward pass on block `b`, `keep(layer:block:)` takes that layer's fresh
/// gradients out of the store before the next block overwrites them. When this process computes
/// every block they are added into a running sum as they come (no per-block copies kept); when
/// blocks are shared between processes each local block's gradients are kept, exchanged, and
/// every process folds all of them. Both go through `BlockFold`, in block order, so the sums
/// are the same bits. Only trainable tensors are kept and exchanged (a frozen base costs nothing).
final class BlockGradients {
    private let store: ParameterStore
    /// Per layer, the trainable ranges of the store and where they sit in a packed block.
    private var layerRanges: [[(store: Range<Int>, packed: Int)]] = []
    /// Trainable values per block.
    private(set) var width = 0
    private var packed: [Float] = []
    /// The exchanged sum, kept between steps (no allocation per step).
    private var summed: [Float] = []
    private var pass: BlockPass?
    private var folding = false
    /// Whether `finish` leaves the sum in the store. A replica of a `ReplicaTeam` takes part in
    /// the fold (its partials are needed) but nothing reads its store's sum: only the owner's
    /// optimizer steps.
    private let publishes: Bool

    init(store: ParameterStore, layers: Int, publishes: Bool = true) {
        self.store = store
        self.publishes = publishes
        layerRanges = Array(repeating: [], count: layers)
    }

    /// Starts a step: re-reads which tensors train (fine-tuning may change it between runs).
    func begin(_ pass: BlockPass) {
        var offset = 0
        for i in layerRanges.indices { layerRanges[i] = [] }
        for t in store.tensors where t.trainable {
            layerRanges[t.layer].append((t.offset..<t.offset + t.count, offset))
            offset += t.count
        }
        width = offset
        folding = pass.exchange.isAlone
        let kept = folding ? 1 : pass.local.count
        if packed.count != kept * width { packed = [Float](repeating: 0, count: kept * width) }
        self.pass = pass
    }

    /// Takes layer `layer`'s gradients of block `block` from the store.
    func keep(layer: Int, block: Int) {
        guard let pass else { preconditionFailure("keep before begin") }
        let slot = folding ? 0 : block - pass.local.lowerBound
        let first = folding && block == 0
        packed.withUnsafeMutableBufferPointer { p in
            let base = p.baseAddress! + slot &* width
            for (range, at) in layerRanges[layer] {
                let source = UnsafePointer(store.gradients + range.lowerBound)
                if first || !folding {
                    (base + at).update(from: source, count: range.count)
                } else {
                    BlockFold.add(source, into: base + at, count: range.count)
                }
            }
        }
    }

    /// Writes the step's summed gradients into the store (exchanging first when blocks are shared).
    func finish() throws {
        guard let pass else { preconditionFailure("finish before begin") }
        if !folding {
            if summed.count != width { summed = [Float](repeating: 0, count: width) }
            try summed.withUnsafeMutableBufferPointer { try pass.foldAcrossBlocks(packed, width: width, into: $0.baseAddress!) }
        }
        guard publishes else { return }
        (folding ? packed : summed).withUnsafeBufferPointer { s in
            for ranges in layerRanges {
                for (range, at) in ranges { (store.gradients + range.lowerBound).update(from: s.baseAddress! + at, count: range.count) }
            }
        }
    }
}
