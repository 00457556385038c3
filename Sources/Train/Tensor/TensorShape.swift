/// The shape of one sample (the batch dimension is separate): `height x width x channels`,
/// channels last. A flat vector of `n` features is `1 x 1 x n` with `isFlat` set, which only
/// changes how it is printed (`(None, n)` like Keras instead of `(None, 1, 1, n)`).
public struct TensorShape: Hashable, Codable, Sendable, CustomStringConvertible {
    public var height: Int
    public var width: Int
    public var channels: Int
    public var isFlat: Bool

    public init(height: Int, width: Int, channels: Int) {
        self.height = height; self.width = width; self.channels = channels; isFlat = false
    }

    /// A flat feature vector.
    public init(features: Int) {
        height = 1; width = 1; channels = features; isFlat = true
    }

    /// Floats per sample.
    public var count: Int { height * width * channels }

    /// `HxWxC` (e.g. `28x28x1`), or the feature count for a flat shape.
    public var description: String { isFlat ? "\(channels)" : "\(height)x\(width)x\(channels)" }

    /// Keras's notation with the batch axis: `(None, 28, 28, 32)` or `(None, 128)`.
    public var kerasDescription: String {
        isFlat ? "(None, \(channels))" : "(None, \(height), \(width), \(channels))"
    }

    /// The dimensions as a list (`[h, w, c]`, or `[n]` when flat).
    public var dimensions: [Int] { isFlat ? [channels] : [height, width, channels] }

    /// Parses `28x28x1`, `28x28` (one channel) or `784` (flat). Nil for anything else.
    public init?(parsing text: String) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else { return nil }
        let dims = parts.map { $0! }
        switch dims.count {
        case 1: self.init(features: dims[0])
        case 2: self.init(height: dims[0], width: dims[1], channels: 1)
        case 3: self.init(height: dims[0], width: dims[1], channels: dims[2])
        default: return nil
        }
    }
}
