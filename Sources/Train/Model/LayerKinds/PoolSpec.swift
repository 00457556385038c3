/// MaxPooling2D / AveragePooling2D as Keras: a `window` moved by `stride` (the window itself
/// unless told), `valid` padding unless told.
/// Text: `maxpool [P] [stride S] [same|valid]` (P defaults to 2; `avgpool` the same).
public struct PoolSpec: LayerKindSpec, Equatable {
    public var window: SpatialSize
    public var stride: SpatialSize
    public var padding: Padding
    public var trainable = true

    public init(window: SpatialSize, stride: SpatialSize? = nil, padding: Padding = .valid) {
        self.window = window; self.stride = stride ?? window; self.padding = padding
    }

    static let textOptions: LayerFields.TextOptions = [.window]

    static func readPositional(_ item: inout LayerTextItem) throws {
        guard item.positional.count <= 1 else { throw item.fail("pooling takes one SIZE, e.g. \"maxpool 2\"") }
        item.fields.kernel = try item.size(item.positional.first ?? "2")
    }

    init(fields f: LayerFields, fail: (String) -> TrainError) throws {
        guard let window = SpatialSize(f.kernel) else { throw fail("pooling needs a window [h, w] > 0") }
        try f.checkOptionRanges(fail)
        self.init(window: window, stride: SpatialSize(f.stride), padding: f.padding ?? .valid)
    }

    func write(into f: inout LayerFields) { f.kernel = window.list; f.stride = stride.list; f.padding = padding }
}
