/// The compact text form of a model spec.
///
/// Items are separated by commas (or semicolons / newlines); words inside an item by spaces:
///
/// | item | meaning |
/// |---|---|
/// | `conv F K [KxK] [stride S] [same\|valid] [ACT] [l1=X] [l2=X] [init=he\|glorot] [frozen]` | Conv2D, F filters, K×K kernel |
/// | `dense U [ACT] [l1=X] [l2=X] [init=…] [frozen]` | Dense with U units |
/// | `maxpool P [stride S] [same\|valid]`, `avgpool P …` | pooling with a P×P window (stride P) |
/// | `dropout R` | Dropout with rate R |
/// | `flatten` | Flatten |
/// | `batchnorm [momentum=M] [epsilon=E] [frozen]` | BatchNorm (Keras defaults 0.99, 1e-3) |
/// | `relu`, `sigmoid`, `tanh`, `softmax`, `linear` | an activation on its own |
///
/// `ACT` is one of the activations; a kernel may also be written `3x5`, a stride `s2`. Each
/// kind's settings (`Conv2DSpec`, …) read their own words and check them.
extension ModelSpec {
    public init(parsing text: String) throws {
        let items = text.split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !items.isEmpty else { throw TrainError.invalidSpec(spec: text, item: "", reason: "no layers") }
        self.init(layers: try items.map { try LayerSpec(parsing: $0, spec: text) })
    }

    /// The canonical text form (`ModelSpec(parsing: spec.text) == spec` minus name and input).
    public var text: String { layers.map(\.text).joined(separator: ", ") }
}
