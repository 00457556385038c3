extension IDXArray {
    /// Reads an IDX file, raw or gzip-compressed (detected by its magic bytes, not its name).
    public init(contentsOf path: String) throws {
        try self.init(bytes: CompressedFile.read(path), name: path)
    }

    /// Decodes IDX bytes, validating the whole header before touching the payload.
    ///
    /// Checks, in order: non-empty; magic `00 00`; a defined type byte; rank 1...4; the header
    /// fits; the product of dimensions does not overflow; the byte count equals header +
    /// product(dims) × element size exactly. Only then is storage allocated, so a header that
    /// claims more than the file holds never allocates what it claims.
    /// - Parameter name: the path (or `archive:member`) named in errors.
    public init(bytes: consuming [UInt8], name: String) throws {
        let header = try IDXHeader(prefix: bytes, name: name)
        try header.checkSize(bytes.count, name: name)
        let (type, shape, headerSize, payload) = (header.dataType, header.shape, header.size, header.payloadBytes)
        if type == .uint8 {
            // Strip the header in place (a memmove) instead of copying 47 MB into a new array.
            var pixels = bytes
            pixels.removeSubrange(0..<headerSize)
            self.init(shape: shape, storage: .uint8(pixels))
        } else {
            self.init(shape: shape, storage: Self.decodePayload(bytes, from: headerSize, count: payload / type.byteSize, type: type))
        }
    }

    /// Converts the big-endian payload to native storage in one pass per type.
    private static func decodePayload(_ bytes: [UInt8], from start: Int, count: Int, type: IDXDataType) -> Storage {
        switch type {
        case .uint8:
            return .uint8(Array(bytes[start ..< start + count]))  // init strips uint8 in place; kept for exhaustiveness
        case .int8:
            return .int8(bytes[start ..< start + count].map { Int8(bitPattern: $0) })
        case .int16:
            return .int16(swapped(bytes, start, count, as: UInt16.self).map { Int16(bitPattern: $0) })
        case .int32:
            return .int32(swapped(bytes, start, count, as: UInt32.self).map { Int32(bitPattern: $0) })
        case .float32:
            return .float32(swapped(bytes, start, count, as: UInt32.self).map { Float(bitPattern: $0) })
        case .float64:
            return .float64(swapped(bytes, start, count, as: UInt64.self).map { Double(bitPattern: $0) })
        }
    }

    /// Reads `count` big-endian integers of type `T` starting at `start`.
    private static func swapped<T: FixedWidthInteger>(_ bytes: [UInt8], _ start: Int, _ count: Int, as: T.Type) -> [T] {
        [T](unsafeUninitializedCapacity: count) { out, initialized in
            bytes.withUnsafeBytes { raw in
                let base = raw.baseAddress! + start
                for i in 0..<count {
                    out[i] = T(bigEndian: base.loadUnaligned(fromByteOffset: i &* MemoryLayout<T>.size, as: T.self))
                }
            }
            initialized = count
        }
    }
}
