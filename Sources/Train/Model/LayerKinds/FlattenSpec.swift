/// Flatten: (h, w, c) samples as vectors, Keras's channels-last order. Text: `flatten`.
public struct FlattenSpec: LayerKindSpec, Equatable {
    public var trainable = true

    public init() {}

    static let textOptions: LayerFields.TextOptions = []

    static func readPositional(_ item: inout LayerTextItem) throws { try item.expectNoPositional() }

    init(fields f: LayerFields, fail: (String) -> TrainError) throws { try f.checkOptionRanges(fail) }

    func write(into f: inout LayerFields) {}
}
