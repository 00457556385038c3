/// An n-dimensional array read from (or written to) an IDX file.
///
/// Layout on disk: magic `00 00 <type> <rank>`, then `rank` big-endian UInt32 dimensions, then
/// the elements in C order, multi-byte values big-endian. In memory the elements are native
/// endian in `storage`. Ranks 1 to 4 are accepted (MNIST uses 1 for labels, 3 for images).
public struct IDXArray: Equatable, Sendable {
    /// Elements in C order, native endian, one case per IDX type.
    public enum Storage: Equatable, Sendable {
        case uint8([UInt8])
        case int8([Int8])
        case int16([Int16])
        case int32([Int32])
        case float32([Float])
        case float64([Double])
    }

    public let shape: [Int]
    public let storage: Storage

    /// Largest rank we accept: MNIST-style data never needs more, and a bound keeps hostile
    /// headers from describing absurd shapes.
    public static let maximumRank = 4

    public init(shape: [Int], storage: Storage) {
        precondition((1...Self.maximumRank).contains(shape.count), "IDX rank must be 1...4, got \(shape.count)")
        precondition(shape.allSatisfy { $0 >= 0 }, "IDX dimensions must be non-negative, got \(shape)")
        self.shape = shape
        self.storage = storage
        precondition(elementCount == shape.reduce(1, *),
                     "IDX storage holds \(elementCount) elements but shape \(shape) needs \(shape.reduce(1, *))")
    }

    public var dataType: IDXDataType {
        switch storage {
        case .uint8: return .uint8
        case .int8: return .int8
        case .int16: return .int16
        case .int32: return .int32
        case .float32: return .float32
        case .float64: return .float64
        }
    }

    /// Number of elements.
    public var elementCount: Int {
        switch storage {
        case let .uint8(v): return v.count
        case let .int8(v): return v.count
        case let .int16(v): return v.count
        case let .int32(v): return v.count
        case let .float32(v): return v.count
        case let .float64(v): return v.count
        }
    }

    /// The elements as bytes when the type is `uint8` (images, MNIST labels), else nil.
    public var uint8Values: [UInt8]? {
        if case let .uint8(v) = storage { return v }
        return nil
    }

    /// The elements as integers when the type is an integer type (label files), else nil.
    public var integerValues: [Int]? {
        switch storage {
        case let .uint8(v): return v.map(Int.init)
        case let .int8(v): return v.map(Int.init)
        case let .int16(v): return v.map(Int.init)
        case let .int32(v): return v.map(Int.init)
        case .float32, .float64: return nil
        }
    }

    /// Every element widened to Double, whatever the type (for statistics and tests).
    public var doubleValues: [Double] {
        switch storage {
        case let .uint8(v): return v.map(Double.init)
        case let .int8(v): return v.map(Double.init)
        case let .int16(v): return v.map(Double.init)
        case let .int32(v): return v.map(Double.init)
        case let .float32(v): return v.map(Double.init)
        case let .float64(v): return v.map { $0 }
        }
    }
}
