/// Dropout as Keras: in training, each value is zeroed with probability `rate`, in [0, 1).
/// Text: `dropout R`.
public struct DropoutSpec: LayerKindSpec, Equatable {
    public var rate: Float
    public var trainable = true

    public init(rate: Float) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1), got \(rate)")
        self.rate = rate
    }

    static let textOptions: LayerFields.TextOptions = []

    static func readPositional(_ item: inout LayerTextItem) throws {
        guard item.positional.count == 1 else { throw item.fail("dropout needs a RATE, e.g. \"dropout 0.25\"") }
        item.fields.rate = try item.number(item.positional[0], "rate")
    }

    init(fields f: LayerFields, fail: (String) -> TrainError) throws {
        guard let rate = f.rate, rate >= 0, rate < 1 else {
            throw fail("dropout rate must be in [0, 1), got \(f.rate.map { "\($0)" } ?? "none")")
        }
        try f.checkOptionRanges(fail)
        self.init(rate: rate)
    }

    func write(into f: inout LayerFields) { f.rate = rate }
}
