/// The kernel settings conv and dense share. Each is nil until written, and prints only then:
/// an unset regularizer takes the run's `--l1` / `--l2` (`ModelSpec.withDefaultRegularizers`),
/// while `l2=0` written on a layer keeps that layer unregularized.
public struct KernelSettings: Equatable, Sendable {
    /// Keras kernel regularizers: `l1 * sum|w|` and `l2 * sum w^2` added to the loss.
    public var l1: Float?
    public var l2: Float?
    /// The kernel initializer; unset means Keras's default, Glorot-uniform.
    public var initializer: Initializer?

    public init(l1: Float? = nil, l2: Float? = nil, initializer: Initializer? = nil) {
        self.l1 = l1; self.l2 = l2; self.initializer = initializer
    }

    init(_ f: LayerFields) { self.init(l1: f.l1, l2: f.l2, initializer: f.initializer) }

    func write(into f: inout LayerFields) { f.l1 = l1; f.l2 = l2; f.initializer = initializer }

    /// The penalties the loss adds (0 when unset).
    var l1Penalty: Float { l1 ?? 0 }
    var l2Penalty: Float { l2 ?? 0 }
    var initializerOrDefault: Initializer { initializer ?? .glorot }
}

extension KernelSettings {
    /// Sets each regularizer this layer leaves unset to the given one.
    mutating func fillUnset(l1: Float?, l2: Float?) {
        if self.l1 == nil { self.l1 = l1 }
        if self.l2 == nil { self.l2 = l2 }
    }
}
