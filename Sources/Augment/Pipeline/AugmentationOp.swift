/// One step of a `Pipeline`: any of the library's operations, as a closed enum so a pipeline
/// is a plain `Codable`, `Equatable` value and the per-image loop is a `switch`, not a dynamic
/// call through an existential.
///
/// JSON form: the operation's fields plus its name under `"op"`, e.g.
/// `{"op": "rotation", "degrees": 40}`.
public enum AugmentationOp: Equatable, Sendable {
    case horizontalFlip(HorizontalFlip)
    case verticalFlip(VerticalFlip)
    case rotation(Rotation)
    case shift(Shift)
    case shear(Shear)
    case zoom(Zoom)
    case randomResizedCrop(RandomResizedCrop)
    case randomCrop(RandomCrop)
    case brightness(Brightness)
    case contrast(Contrast)
    case channelShift(ChannelShift)
    case gaussianNoise(GaussianNoise)
    case cutout(Cutout)
    case randomErasing(RandomErasing)
    case randomGrayscale(RandomGrayscale)

    /// The wrapped operation.
    public var operation: any Augmentation {
        switch self {
        case let .horizontalFlip(op): return op
        case let .verticalFlip(op): return op
        case let .rotation(op): return op
        case let .shift(op): return op
        case let .shear(op): return op
        case let .zoom(op): return op
        case let .randomResizedCrop(op): return op
        case let .randomCrop(op): return op
        case let .brightness(op): return op
        case let .contrast(op): return op
        case let .channelShift(op): return op
        case let .gaussianNoise(op): return op
        case let .cutout(op): return op
        case let .randomErasing(op): return op
        case let .randomGrayscale(op): return op
        }
    }

    /// The operation's JSON name.
    public var name: String { type(of: operation).name }

    /// Every operation type, in the order `--help` and error messages list them.
    static let decoders: [(name: String, fields: [String], decode: @Sendable (any Decoder) throws -> AugmentationOp)] = [
        (HorizontalFlip.name, HorizontalFlip.fields, { .horizontalFlip(try HorizontalFlip(from: $0)) }),
        (VerticalFlip.name, VerticalFlip.fields, { .verticalFlip(try VerticalFlip(from: $0)) }),
        (Rotation.name, Rotation.fields, { .rotation(try Rotation(from: $0)) }),
        (Shift.name, Shift.fields, { .shift(try Shift(from: $0)) }),
        (Shear.name, Shear.fields, { .shear(try Shear(from: $0)) }),
        (Zoom.name, Zoom.fields, { .zoom(try Zoom(from: $0)) }),
        (RandomResizedCrop.name, RandomResizedCrop.fields, { .randomResizedCrop(try RandomResizedCrop(from: $0)) }),
        (RandomCrop.name, RandomCrop.fields, { .randomCrop(try RandomCrop(from: $0)) }),
        (Brightness.name, Brightness.fields, { .brightness(try Brightness(from: $0)) }),
        (Contrast.name, Contrast.fields, { .contrast(try Contrast(from: $0)) }),
        (ChannelShift.name, ChannelShift.fields, { .channelShift(try ChannelShift(from: $0)) }),
        (GaussianNoise.name, GaussianNoise.fields, { .gaussianNoise(try GaussianNoise(from: $0)) }),
        (Cutout.name, Cutout.fields, { .cutout(try Cutout(from: $0)) }),
        (RandomErasing.name, RandomErasing.fields, { .randomErasing(try RandomErasing(from: $0)) }),
        (RandomGrayscale.name, RandomGrayscale.fields, { .randomGrayscale(try RandomGrayscale(from: $0)) }),
    ]

    /// The names `"op"` accepts.
    public static var names: [String] { decoders.map(\.name) }
}

/// A JSON key known only at run time.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// `ops[2].degrees`-style text for a coding path.
func pathText(_ path: [any CodingKey]) -> String {
    var text = ""
    for key in path {
        if let i = key.intValue { text += "[\(i)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
    }
    return text.isEmpty ? "pipeline" : text
}

extension AugmentationOp: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let at = pathText(decoder.codingPath)
        guard container.contains(AnyKey("op")) else {
            throw AugmentError.badValue(at: at, expected: "an \"op\" field naming the operation (\(Self.names.joined(separator: ", ")))",
                                        found: "fields \(container.allKeys.map(\.stringValue).sorted())")
        }
        let name = try container.decode(String.self, forKey: AnyKey("op"))
        guard let entry = Self.decoders.first(where: { $0.name == name }) else {
            throw AugmentError.unknownOperation(at: at + ".op", name: name, known: Self.names)
        }
        for key in container.allKeys.map(\.stringValue).sorted() where key != "op" && !entry.fields.contains(key) {
            throw AugmentError.unknownField(at: at, field: key, allowed: ["op"] + entry.fields)
        }
        self = try entry.decode(decoder)
        try operation.validate(at: at)
    }

    public func encode(to encoder: any Encoder) throws {
        try operation.encode(to: encoder)
        var container = encoder.container(keyedBy: AnyKey.self)
        try container.encode(name, forKey: AnyKey("op"))
    }
}
