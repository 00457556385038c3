/// One layer of a model spec, as written in text (`conv 32 3 same relu`) or JSON
/// (`{"type": "conv", "filters": 32, "kernel": [3, 3], "padding": "same", "activation": "relu"}`).
/// Fields that do not apply to a layer's type are nil.
public struct LayerSpec: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case conv, maxpool, avgpool, dense, dropout, flatten, batchnorm, activation
    }

    public var type: Kind
    /// conv: output channels.
    public var filters: Int?
    /// dense: output features.
    public var units: Int?
    /// conv: kernel (height, width); pooling: window (height, width).
    public var kernel: [Int]?
    /// conv / pooling: (vertical, horizontal) step; conv default 1, pooling default = window.
    public var stride: [Int]?
    /// conv / pooling; conv default `valid` like Keras, pooling default `valid`.
    public var padding: Padding?
    /// conv / dense / activation; default `linear`.
    public var activation: Activation?
    /// dropout: fraction of values zeroed in training.
    public var rate: Float?
    /// conv / dense: Keras kernel regularizers (`l1 * sum|w|`, `l2 * sum w^2` added to the loss).
    public var l1: Float?
    public var l2: Float?
    /// conv / dense kernel initializer; default Glorot-uniform (Keras's default).
    public var initializer: Initializer?
    /// batchnorm: moving-average momentum (default 0.99) and epsilon (default 1e-3), as Keras.
    public var momentum: Float?
    public var epsilon: Float?
    /// false freezes the layer's weights (the optimizer skips them); nil means trainable.
    public var trainable: Bool?

    public init(type: Kind) { self.type = type }

    public static func conv(_ filters: Int, _ kernel: Int, stride: Int = 1, padding: Padding = .valid,
                            activation: Activation = .linear) -> LayerSpec {
        var s = LayerSpec(type: .conv)
        s.filters = filters; s.kernel = [kernel, kernel]; s.stride = [stride, stride]
        s.padding = padding; s.activation = activation
        return s
    }

    public static func dense(_ units: Int, activation: Activation = .linear) -> LayerSpec {
        var s = LayerSpec(type: .dense)
        s.units = units; s.activation = activation
        return s
    }

    public static func maxPool(_ size: Int, stride: Int? = nil, padding: Padding = .valid) -> LayerSpec {
        var s = LayerSpec(type: .maxpool)
        s.kernel = [size, size]; s.stride = [stride ?? size, stride ?? size]; s.padding = padding
        return s
    }

    public static func avgPool(_ size: Int, stride: Int? = nil, padding: Padding = .valid) -> LayerSpec {
        var s = maxPool(size, stride: stride, padding: padding)
        s.type = .avgpool
        return s
    }

    public static func dropout(_ rate: Float) -> LayerSpec {
        var s = LayerSpec(type: .dropout)
        s.rate = rate
        return s
    }

    public static let flatten = LayerSpec(type: .flatten)
    public static let batchNorm = LayerSpec(type: .batchnorm)

    public static func activation(_ activation: Activation) -> LayerSpec {
        var s = LayerSpec(type: .activation)
        s.activation = activation
        return s
    }

    /// Whether the optimizer updates this layer's weights.
    public var isTrainable: Bool { trainable ?? true }
    /// The layer's name in checkpoint tensor paths (`layers.3.conv.kernel`).
    public var pathName: String { type.rawValue }
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
