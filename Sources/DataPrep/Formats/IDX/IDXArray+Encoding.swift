extension IDXArray {
    /// The IDX bytes of this array: the exact inverse of `init(bytes:name:)`.
    /// The header alone (magic `00 00 type rank`, then each dimension big-endian), for writers
    /// that stream the elements after it.
    public static func header(dataType: IDXDataType, shape: [Int]) -> [UInt8] {
        var out: [UInt8] = [0, 0, dataType.rawValue, UInt8(shape.count)]
        for dim in shape { appendBigEndian(UInt32(dim), to: &out) }
        return out
    }

    public func encoded() -> [UInt8] {
        var out = IDXArray.header(dataType: dataType, shape: shape)
        out.reserveCapacity(4 + 4 * shape.count + elementCount * dataType.byteSize)
        switch storage {
        case let .uint8(v): out += v
        case let .int8(v): out += v.map { UInt8(bitPattern: $0) }
        case let .int16(v): for x in v { appendBigEndian(UInt16(bitPattern: x), to: &out) }
        case let .int32(v): for x in v { appendBigEndian(UInt32(bitPattern: x), to: &out) }
        case let .float32(v): for x in v { appendBigEndian(x.bitPattern, to: &out) }
        case let .float64(v): for x in v { appendBigEndian(x.bitPattern, to: &out) }
        }
        return out
    }
}

private func appendBigEndian<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
    withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
}
