import DataPrep

/// BatchNormalization over the channel axis as Keras (momentum 0.99, epsilon 1e-3 unless told).
/// Text: `batchnorm [momentum=M] [epsilon=E] [frozen]` (also `bn`).
public struct BatchNormSpec: LayerKindSpec, Equatable {
    public static let kerasMomentum: Float = 0.99
    public static let kerasEpsilon: Float = 1e-3

    /// Moving-average momentum in [0, 1]; unset means Keras's 0.99 (kept apart from a written
    /// 0.99 so the spec prints as it was written).
    public var momentum: Float?
    /// Added to the variance, > 0; unset means Keras's 1e-3.
    public var epsilon: Float?
    public var trainable = true

    public init(momentum: Float? = nil, epsilon: Float? = nil) { self.momentum = momentum; self.epsilon = epsilon }

    static let textOptions: LayerFields.TextOptions = [.statistics]

    static func readPositional(_ item: inout LayerTextItem) throws { try item.expectNoPositional() }

    init(fields f: LayerFields, fail: (String) -> TrainError) throws {
        try f.checkOptionRanges(fail)
        self.init(momentum: f.momentum, epsilon: f.epsilon)
    }

    func write(into f: inout LayerFields) { f.momentum = momentum; f.epsilon = epsilon }

    var momentumOrDefault: Float { momentum ?? Self.kerasMomentum }
    var epsilonOrDefault: Float { epsilon ?? Self.kerasEpsilon }

    /// Keras: gamma and beta (trainable) and the moving mean and variance (not), per channel.
    func parameterCount(input: TensorShape) -> Int { 4 * input.channels }
}
