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
        guard !bytes.isEmpty else { throw DataPrepError.emptyFile(path: name) }
        guard bytes.count >= 4 else { throw DataPrepError.truncated(path: name, expected: 4, found: bytes.count) }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw DataPrepError.wrongMagic(path: name, expected: "IDX magic 00 00 <type> <rank>",
                                           found: bytes.hexPrefix(4), hint: FileSignature.hint(for: bytes))
        }
        guard let type = IDXDataType(rawValue: bytes[2]) else {
            throw DataPrepError.badHeader(path: name, offset: 2, field: "data type",
                                          expected: "one of 0x08 0x09 0x0b 0x0c 0x0d 0x0e",
                                          found: "0x" + [bytes[2]].hexPrefix(1))
        }
        let rank = Int(bytes[3])
        guard (1...Self.maximumRank).contains(rank) else {
            throw DataPrepError.badHeader(path: name, offset: 3, field: "rank",
                                          expected: "1...\(Self.maximumRank)", found: "\(rank)")
        }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw DataPrepError.truncated(path: name, expected: headerSize, found: bytes.count)
        }
        let shape = (0..<rank).map { Int(bytes.bigEndianUInt32(at: 4 + 4 * $0)) }
        var payload = type.byteSize
        for (axis, dim) in shape.enumerated() {
            let (product, overflow) = payload.multipliedReportingOverflow(by: dim)
            guard !overflow else {
                throw DataPrepError.badHeader(path: name, offset: 4 + 4 * axis, field: "dimension \(axis)",
                                              expected: "a shape whose size fits in memory",
                                              found: shape.map(String.init).joined(separator: "x"))
            }
            payload = product
        }
        let expected = headerSize + payload
        let shapeText = shape.map(String.init).joined(separator: "x")
        if bytes.count < expected {
            throw DataPrepError.truncated(path: name, expected: expected, found: bytes.count)
        }
        if bytes.count > expected {
            throw DataPrepError.sizeMismatch(
                path: name, expected: "\(expected) bytes (\(headerSize)-byte header + \(shapeText) x \(type.byteSize))",
                found: bytes.count, hint: "\(bytes.count - expected) bytes follow the data")
        }
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
