/// Wall time per layer, forward and backward, plus the optimizer step: where a training step's
/// time goes (benchmarks only; nothing is timed when the network has no profile attached).
public final class LayerProfile: @unchecked Sendable {
    public private(set) var forwardNanoseconds: [UInt64]
    public private(set) var backwardNanoseconds: [UInt64]
    public internal(set) var optimizerNanoseconds: UInt64 = 0
    public internal(set) var lossNanoseconds: UInt64 = 0

    public init(layers: Int) {
        forwardNanoseconds = Array(repeating: 0, count: layers)
        backwardNanoseconds = Array(repeating: 0, count: layers)
    }

    public func reset() {
        for i in forwardNanoseconds.indices { forwardNanoseconds[i] = 0; backwardNanoseconds[i] = 0 }
        optimizerNanoseconds = 0; lossNanoseconds = 0
    }

    func addForward(_ layer: Int, since start: UInt64) { forwardNanoseconds[layer] &+= GEMMClock.now() &- start }
    func addBackward(_ layer: Int, since start: UInt64) { backwardNanoseconds[layer] &+= GEMMClock.now() &- start }
}
