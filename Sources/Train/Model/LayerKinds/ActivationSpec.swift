/// An activation as a layer of its own. Text: the activation's name (`relu`, `softmax`, …).
public struct ActivationSpec: LayerKindSpec, Equatable {
    public var activation: Activation
    public var trainable = true

    public init(_ activation: Activation) { self.activation = activation }

    static let textOptions: LayerFields.TextOptions = []

    /// The text form is the bare name, read by `LayerSpec(parsing:spec:)`.
    static func readPositional(_ item: inout LayerTextItem) throws { try item.expectNoPositional() }

    init(fields f: LayerFields, fail: (String) -> TrainError) throws {
        guard let activation = f.activation else { throw fail("activation layer needs an activation") }
        try f.checkOptionRanges(fail)
        self.init(activation)
    }

    func write(into f: inout LayerFields) { f.activation = activation }
}
