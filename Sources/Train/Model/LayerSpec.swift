import DataPrep

/// One layer of a model spec: one case per layer kind, each carrying its kind's typed
/// settings, which own their parsing, defaults, validation and Keras parameter count.
///
/// Written as text (`conv 32 3 same relu`, see `ModelSpec(parsing:)`) or JSON
/// (`{"type": "conv", "filters": 32, "kernel": [3, 3], "padding": "same", "activation": "relu"}`);
/// both go through `LayerFields`, the form as written, so a checkpoint saved before the kinds
/// were typed reads back unchanged.
public enum LayerSpec: Equatable, Sendable {
    case conv(Conv2DSpec)
    case dense(DenseSpec)
    case maxpool(PoolSpec)
    case avgpool(PoolSpec)
    case dropout(DropoutSpec)
    case flatten(FlattenSpec)
    case batchnorm(BatchNormSpec)
    case activation(ActivationSpec)

    /// The JSON `type` of a layer (and its name in checkpoint tensor paths).
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case conv, maxpool, avgpool, dense, dropout, flatten, batchnorm, activation
    }

    public var type: Kind {
        switch self {
        case .conv: return .conv
        case .dense: return .dense
        case .maxpool: return .maxpool
        case .avgpool: return .avgpool
        case .dropout: return .dropout
        case .flatten: return .flatten
        case .batchnorm: return .batchnorm
        case .activation: return .activation
        }
    }

    /// The kind's settings, for what every kind answers.
    var settings: any LayerKindSpec {
        switch self {
        case .conv(let s): return s
        case .dense(let s): return s
        case .maxpool(let s), .avgpool(let s): return s
        case .dropout(let s): return s
        case .flatten(let s): return s
        case .batchnorm(let s): return s
        case .activation(let s): return s
        }
    }

    /// Whether the optimizer updates this layer's weights (`frozen` in text, `"trainable": false` in JSON).
    public var isTrainable: Bool {
        get { settings.trainable }
        set {
            switch self {
            case .conv(var s): s.trainable = newValue; self = .conv(s)
            case .dense(var s): s.trainable = newValue; self = .dense(s)
            case .maxpool(var s): s.trainable = newValue; self = .maxpool(s)
            case .avgpool(var s): s.trainable = newValue; self = .avgpool(s)
            case .dropout(var s): s.trainable = newValue; self = .dropout(s)
            case .flatten(var s): s.trainable = newValue; self = .flatten(s)
            case .batchnorm(var s): s.trainable = newValue; self = .batchnorm(s)
            case .activation(var s): s.trainable = newValue; self = .activation(s)
            }
        }
    }

    /// The layer's name in checkpoint tensor paths (`layers.3.conv.kernel`).
    public var pathName: String { type.rawValue }

    /// Keras's class name for the layer.
    public var kerasType: String {
        switch type {
        case .conv: return "Conv2D"
        case .dense: return "Dense"
        case .maxpool: return "MaxPooling2D"
        case .avgpool: return "AveragePooling2D"
        case .dropout: return "Dropout"
        case .flatten: return "Flatten"
        case .batchnorm: return "BatchNormalization"
        case .activation: return "Activation"
        }
    }

    /// The parameters Keras's `model.summary()` counts for this layer on `input` (one sample's shape).
    public func parameterCount(input: TensorShape) -> Int { settings.parameterCount(input: input) }

    /// The form as written: what JSON holds and `text` prints.
    var fields: LayerFields {
        var f = LayerFields(type: type)
        settings.write(into: &f)
        if !isTrainable { f.trainable = false }
        return f
    }

    /// Checks `fields` against its kind and applies the kind's defaults; errors name the layer by
    /// its text, as part of `spec`.
    init(fields f: LayerFields, spec: String) throws {
        let fail = { (reason: String) in TrainError.invalidSpec(spec: spec, item: f.text, reason: reason) }
        switch f.type {
        case .conv: self = .conv(try Conv2DSpec(fields: f, fail: fail))
        case .dense: self = .dense(try DenseSpec(fields: f, fail: fail))
        case .maxpool: self = .maxpool(try PoolSpec(fields: f, fail: fail))
        case .avgpool: self = .avgpool(try PoolSpec(fields: f, fail: fail))
        case .dropout: self = .dropout(try DropoutSpec(fields: f, fail: fail))
        case .flatten: self = .flatten(try FlattenSpec(fields: f, fail: fail))
        case .batchnorm: self = .batchnorm(try BatchNormSpec(fields: f, fail: fail))
        case .activation: self = .activation(try ActivationSpec(fields: f, fail: fail))
        }
        isTrainable = f.trainable ?? true
    }

    /// The canonical text of this layer.
    public var text: String { fields.text }

    /// dense: its output features; nil for the other kinds.
    public var units: Int? {
        if case .dense(let s) = self { return s.units }
        return nil
    }
}

/// JSON: the fields of `LayerFields`, absent ones left out. A checkpoint's spec is checked as it
/// is read (errors name the layer within "JSON").
extension LayerSpec: Codable {
    public init(from decoder: any Decoder) throws {
        self = try LayerSpec(fields: LayerFields(from: decoder), spec: "JSON")
    }

    public func encode(to encoder: any Encoder) throws { try fields.encode(to: encoder) }
}

/// What every layer kind's settings answer.
protocol LayerKindSpec: Sendable {
    /// Whether the optimizer updates the layer's weights.
    var trainable: Bool { get set }
    /// Writes the kind's settings as fields (`type` and `trainable` are `LayerSpec`'s).
    func write(into fields: inout LayerFields)
    /// Keras's parameter count on one sample of shape `input`.
    func parameterCount(input: TensorShape) -> Int
    /// The words the text form accepts besides the positional ones and `frozen`.
    static var textOptions: LayerFields.TextOptions { get }
    /// Reads the positional words of a text item into `item.fields` (text-only defaults, e.g.
    /// the pooling window 2, are applied here; the others in `init(fields:fail:)`).
    static func readPositional(_ item: inout LayerTextItem) throws
    /// Checks the fields the kind uses and applies its defaults.
    init(fields: LayerFields, fail: (String) -> TrainError) throws
}

extension LayerKindSpec {
    func parameterCount(input: TensorShape) -> Int { 0 }
}

/// Convolution / pooling border handling, as Keras: `valid` uses only whole windows, `same`
/// pads (more at the bottom/right when odd) so the output is `ceil(input / stride)`.
public enum Padding: String, Codable, Sendable, CaseIterable {
    case valid, same
}

/// Kernel initializers (biases start at zero).
public enum Initializer: String, Codable, Sendable, CaseIterable {
    /// Keras's default: uniform in ±sqrt(6 / (fanIn + fanOut)).
    case glorot
    /// Keras's `he_normal`: normal with stddev sqrt(2 / fanIn), truncated at two deviations.
    case he
}
