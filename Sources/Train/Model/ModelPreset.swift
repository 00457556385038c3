/// The users' models, with the parameter counts Keras reports for them.
public enum ModelPreset: String, CaseIterable, Sendable {
    /// "AlexNet-style" Fashion-MNIST CNN, 28x28x1 → 10: 331,274 parameters.
    case fashionAlexnet = "fashion-alexnet"
    /// The Keras CIFAR-10 example CNN, 32x32x3 → 10: 1,250,858 parameters.
    case cifarCNN = "cifar-cnn"
    /// Dogs-vs-cats CNN on 80x80 grayscale, one sigmoid output: 186,881 parameters.
    case dogsCatsCNN = "dogs-cats-cnn"
    /// MLP 784-128-160-150-10: 146,780 parameters.
    case mlp

    public var text: String {
        switch self {
        case .fashionAlexnet:
            return "conv 32 3 same relu, maxpool 2, conv 64 3 same relu, maxpool 2, conv 128 3 valid relu, "
                + "conv 128 3 valid relu, conv 64 3 same relu, maxpool 2, flatten, dense 128 relu, dropout 0.5, "
                + "dense 64 relu, dropout 0.5, dense 10 softmax"
        case .cifarCNN:
            return "conv 32 3 same relu, conv 32 3 valid relu, maxpool 2, dropout 0.25, conv 64 3 same relu, "
                + "conv 64 3 valid relu, maxpool 2, dropout 0.25, flatten, dense 512 relu, dropout 0.5, dense 10 softmax"
        case .dogsCatsCNN:
            return "conv 32 3 valid relu, maxpool 2, dropout 0.25, conv 64 3 valid relu, maxpool 2, dropout 0.25, "
                + "conv 64 3 valid relu, maxpool 2, dropout 0.5, flatten, dense 32 relu, dense 1 sigmoid"
        case .mlp:
            return "flatten, dense 128 relu, dense 160 relu, dense 150 relu, dense 10 softmax"
        }
    }

    /// The input each preset was designed for.
    public var input: TensorShape {
        switch self {
        case .fashionAlexnet, .mlp: return TensorShape(height: 28, width: 28, channels: 1)
        case .cifarCNN: return TensorShape(height: 32, width: 32, channels: 3)
        case .dogsCatsCNN: return TensorShape(height: 80, width: 80, channels: 1)
        }
    }

    /// Keras's total parameter count for the preset on its input.
    public var kerasParameterCount: Int {
        switch self {
        case .fashionAlexnet: return 331_274
        case .cifarCNN: return 1_250_858
        case .dogsCatsCNN: return 186_881
        case .mlp: return 146_780
        }
    }

    public var spec: ModelSpec {
        // The preset texts are fixed and covered by tests, so parsing cannot fail here.
        var spec = (try? ModelSpec(parsing: text)) ?? ModelSpec(layers: [])
        spec.name = rawValue
        spec.input = input
        return spec
    }
}
