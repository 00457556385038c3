/// A NumPy `.npy` array (format versions 1.0–3.0, C order, little-endian), as written by
/// `numpy.save` and read by `numpy.load`.
///
/// Layout (numpy.lib.format): magic `\x93NUMPY`, major and minor version bytes, the header
/// length (u16 LE for 1.0, u32 LE for 2.0/3.0), an ASCII Python dict literal
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (N, H, W, C), }` padded with spaces and a
/// final newline so the data starts at a multiple of 64 bytes, then the raw data.
public struct NPYArray: Equatable, Sendable {
    /// The element types `dataprep` writes and reads.
    public enum DType: String, Sendable, Codable {
        case uint8 = "|u1"
        case int64 = "<i8"
        case float32 = "<f4"
        case int32 = "<i4"

        public var size: Int {
            switch self { case .uint8: return 1; case .int32, .float32: return 4; case .int64: return 8 }
        }
        /// NumPy's name for the dtype (`uint8`, `float32`, ...).
        public var numpyName: String {
            switch self { case .uint8: return "uint8"; case .int64: return "int64"; case .float32: return "float32"; case .int32: return "int32" }
        }
    }

    public let dtype: DType
    public let shape: [Int]
    /// Raw little-endian element bytes, `shape.product * dtype.size` of them.
    public let data: [UInt8]

    public init(dtype: DType, shape: [Int], data: [UInt8]) {
        precondition(shape.reduce(1, *) * dtype.size == data.count, "NPY data of \(data.count) bytes does not fit \(dtype) \(shape)")
        self.dtype = dtype; self.shape = shape; self.data = data
    }

    /// A uint8 array viewing `bytes` with `shape`.
    public init(uint8 bytes: [UInt8], shape: [Int]) { self.init(dtype: .uint8, shape: shape, data: bytes) }

    /// A float32 array.
    public init(float32 values: [Float], shape: [Int]) {
        self.init(dtype: .float32, shape: shape, data: values.withUnsafeBytes { Array($0) })
    }

    /// An int64 array.
    public init(int64 values: [Int64], shape: [Int]) {
        self.init(dtype: .int64, shape: shape, data: values.map(\.littleEndian).withUnsafeBytes { Array($0) })
    }

    public var count: Int { shape.reduce(1, *) }

    /// The values as integers (int32/int64/uint8 arrays), else nil.
    public var integerValues: [Int]? {
        switch dtype {
        case .uint8: return data.map(Int.init)
        case .int32:
            return stride(from: 0, to: data.count, by: 4).map { i in
                Int(Int32(bitPattern: UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24))
            }
        case .int64:
            return stride(from: 0, to: data.count, by: 8).map { i in
                var v: UInt64 = 0
                for k in 0..<8 { v |= UInt64(data[i + k]) << (8 * UInt64(k)) }
                return Int(Int64(bitPattern: v))
            }
        case .float32: return nil
        }
    }

    /// The values of a float32 array, else nil.
    public var floatValues: [Float]? {
        guard dtype == .float32 else { return nil }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            data.withUnsafeBytes { raw in
                for i in 0..<count { buffer[i] = Float(bitPattern: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian) }
            }
            initialized = count
        }
    }

    /// The complete file: version 1.0 header padded to 64 bytes, then the data.
    public func encoded() -> [UInt8] {
        var out = Self.header(dtype: dtype, shape: shape)
        out.reserveCapacity(out.count + data.count)
        out += data
        return out
    }

    /// The version 1.0 header of an array of `dtype` and `shape`, padded so the data that
    /// follows starts at a multiple of 64 bytes: what a writer streaming the data emits first.
    public static func header(dtype: DType, shape: [Int]) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var out: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0]
        let length = header.utf8.count
        out += [UInt8(length & 0xFF), UInt8(length >> 8)]
        out += Array(header.utf8)
        return out
    }
}
