/// Reads class probabilities out of a network's output the way `Predictions` does: a softmax
/// row as it is, a single sigmoid unit as the two classes `[1 − p, p]` of a binary model. Any
/// other output (a linear head) is read as per-class scores, which occlusion handles the same way.
public enum ClassProbabilities {
    /// Whether `network` is a binary model with one sigmoid output.
    public static func isBinary(_ network: Network) -> Bool {
        network.outputActivation == .sigmoid && network.outputShape.count == 1
    }

    /// Classes the output describes: 2 for one sigmoid unit, else one per output.
    public static func classCount(of network: Network) -> Int {
        isBinary(network) ? 2 : network.outputShape.count
    }

    /// Probability of `classIndex` for sample `sample` of an output buffer with `outputs` floats per sample.
    @inline(__always)
    static func probability(_ output: UnsafePointer<Float>, sample: Int, outputs: Int, classIndex: Int, binary: Bool) -> Float {
        guard binary else { return output[sample &* outputs &+ classIndex] }
        let p = output[sample]
        return classIndex == 1 ? p : 1 - p
    }

    /// Every class's probability for sample `sample`.
    static func row(_ output: UnsafePointer<Float>, sample: Int, outputs: Int, binary: Bool) -> [Float] {
        let classes = binary ? 2 : outputs
        return (0..<classes).map { probability(output, sample: sample, outputs: outputs, classIndex: $0, binary: binary) }
    }

    /// The predicted class: the argmax (lowest index on ties), or p > 0.5 for one sigmoid unit.
    public static func predicted(_ probabilities: [Float], binary: Bool) -> Int {
        if binary { return probabilities[1] > 0.5 ? 1 : 0 }
        var best = 0
        for c in probabilities.indices where probabilities[c] > probabilities[best] { best = c }
        return best
    }

    /// One inference forward pass on a single normalised sample: its class probabilities.
    public static func of(_ input: [Float], network: Network) -> [Float] {
        precondition(input.count == network.inputShape.count,
                     "input has \(input.count) floats, the model takes \(network.inputShape.count)")
        let binary = isBinary(network), outputs = network.outputShape.count
        return input.withUnsafeBufferPointer { p in
            let out = network.forward(p.baseAddress!, batch: 1, mode: .inference)
            return row(UnsafePointer(out), sample: 0, outputs: outputs, binary: binary)
        }
    }
}
