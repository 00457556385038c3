import DataPrep

/// Dense as Keras, on a flat input: `units` outputs, linear unless told otherwise.
/// Text: `dense U [ACT] [l1=X] [l2=X] [init=he|glorot] [frozen]` (also `fc U`).
public struct DenseSpec: LayerKindSpec, Equatable {
    public var units: Int
    public var activation: Activation
    public var weights: KernelSettings
    public var trainable = true

    public init(units: Int, activation: Activation = .linear, weights: KernelSettings = KernelSettings()) {
        precondition(units > 0, "dense needs units > 0, got \(units)")
        self.units = units; self.activation = activation; self.weights = weights
    }

    static let textOptions: LayerFields.TextOptions = [.activation, .weights]

    static func readPositional(_ item: inout LayerTextItem) throws {
        guard item.positional.count == 1 else { throw item.fail("dense needs UNITS, e.g. \"dense 128 relu\"") }
        item.fields.units = try item.number(item.positional[0], "units")
    }

    init(fields f: LayerFields, fail: (String) -> TrainError) throws {
        guard let units = f.units, units > 0 else { throw fail("dense needs units > 0") }
        try f.checkOptionRanges(fail)
        self.init(units: units, activation: f.activation ?? .linear, weights: KernelSettings(f))
    }

    func write(into f: inout LayerFields) {
        f.units = units; f.activation = activation
        weights.write(into: &f)
    }

    /// Keras: an (inputs, units) kernel and one bias per unit.
    func parameterCount(input: TensorShape) -> Int { (input.count + 1) * units }
}
