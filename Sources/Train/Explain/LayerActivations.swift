/// What one layer produced for one sample, arranged as maps to look at: each channel of a
/// spatial output is a `height x width` map; a flat output (dense, flatten) is a single
/// `1 x n` strip, since its units have no spatial arrangement to show.
public struct LayerActivations: Sendable, Equatable {
    public let layer: LayerReference
    /// `layer.outputShape.count` floats, HWC, as the network wrote them.
    public let values: [Float]

    public init(layer: LayerReference, values: [Float]) {
        precondition(values.count == layer.outputShape.count,
                     "layer \(layer.name) outputs \(layer.outputShape.count) floats, got \(values.count)")
        self.layer = layer; self.values = values
    }

    /// Maps shown: one per channel, or one strip for a flat output.
    public var mapCount: Int { layer.outputShape.isFlat ? 1 : layer.outputShape.channels }

    /// Size of every map.
    public var mapSize: (height: Int, width: Int) {
        let s = layer.outputShape
        return s.isFlat ? (1, s.channels) : (s.height, s.width)
    }

    /// Map `m`, row-major (`mapSize.height * mapSize.width` floats).
    public func map(_ m: Int) -> [Float] {
        precondition((0..<mapCount).contains(m), "map \(m) outside 0..<\(mapCount) of layer \(layer.name)")
        let s = layer.outputShape
        if s.isFlat { return values }
        return (0..<(s.height * s.width)).map { values[$0 * s.channels + m] }
    }

    /// One inference forward pass on a single normalised sample, keeping the outputs of `layers`.
    ///
    /// - Complexity: one forward pass, whatever the number of layers.
    public static func capture(network: Network, input: [Float], layers: [LayerReference]) -> [LayerActivations] {
        precondition(input.count == network.inputShape.count,
                     "input has \(input.count) floats, the model takes \(network.inputShape.count)")
        return input.withUnsafeBufferPointer { p in
            network.forward(p.baseAddress!, batch: 1, mode: .inference)
            return layers.map { layer in
                LayerActivations(layer: layer, values: Array(UnsafeBufferPointer(start: network.output(ofLayer: layer.index),
                                                                                 count: layer.outputShape.count)))
            }
        }
    }
}
