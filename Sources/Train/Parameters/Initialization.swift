import DataPrep

/// What a layer asks the store for: one tensor's local name, shape, role and how to fill it.
struct ParameterDeclaration {
    var name: String
    var shape: [Int]
    var role: ParameterStore.Role
    var initializer: Initializer = .glorot
    var fanIn = 1
    var fanOut = 1
    var l1: Float = 0
    var l2: Float = 0

    var count: Int { shape.reduce(1, *) }

    /// Fills `values` (kernels random from `generator`, biases 0, gamma 1, beta 0, mean 0,
    /// variance 1), as Keras initialises them.
    func fill(_ values: UnsafeMutablePointer<Float>, using generator: inout SeededGenerator) {
        switch role {
        case .bias, .beta, .movingMean: values.update(repeating: 0, count: count)
        case .gamma, .movingVariance: values.update(repeating: 1, count: count)
        case .kernel:
            switch initializer {
            case .glorot:
                let limit = (6.0 / Double(fanIn + fanOut)).squareRoot()
                for i in 0..<count { values[i] = Float(generator.nextDouble(in: -limit, limit)) }
            case .he:
                // Keras he_normal: truncated normal (|z| < 2) scaled so the variance is 2/fanIn.
                let std = (2.0 / Double(fanIn)).squareRoot() / 0.87962566103423978
                for i in 0..<count {
                    var z = generator.nextGaussian()
                    while abs(z) >= 2 { z = generator.nextGaussian() }
                    values[i] = Float(z * std)
                }
            }
        }
    }
}
