/// The element types the IDX format defines (third magic byte), per LeCun's MNIST page.
public enum IDXDataType: UInt8, Sendable, CaseIterable, Codable {
    case uint8 = 0x08
    case int8 = 0x09
    case int16 = 0x0B
    case int32 = 0x0C
    case float32 = 0x0D
    case float64 = 0x0E

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .uint8, .int8: return 1
        case .int16: return 2
        case .int32, .float32: return 4
        case .float64: return 8
        }
    }

    /// The NumPy-style name printed by `info`.
    public var name: String {
        switch self {
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .int16: return "int16"
        case .int32: return "int32"
        case .float32: return "float32"
        case .float64: return "float64"
        }
    }

    /// Whether values are whole numbers (usable as class labels).
    public var isInteger: Bool { self != .float32 && self != .float64 }
}
