/// Reading `.npy` files: the header is validated completely (magic, version, dict keys, dtype,
/// order, shape, exact byte count) before any data is copied.
extension NPYArray {
    /// Largest header we accept; NumPy itself refuses headers over 10,000 bytes by default.
    static let maximumHeaderLength = 65_536

    public init(contentsOf path: String) throws {
        try self.init(bytes: FileIO.read(path), name: path)
    }

    public init(bytes: [UInt8], name: String) throws {
        let layout = try bytes.withUnsafeBytes { try Self.layout(of: $0, name: name, maximumDataBytes: Int(Int32.max) * 64) }
        self.init(dtype: layout.dtype, shape: layout.shape, data: Array(bytes[layout.dataStart...]))
    }

    /// Where the data of a `.npy` file lies and what it holds, from its complete bytes.
    ///
    /// Validates everything before a byte of data is used: magic, version, header length and
    /// text, the three dict keys, and that the data after the header is exactly
    /// `product(shape) × dtype.size` bytes.
    /// - Parameter maximumDataBytes: the largest array accepted (an in-memory copy is capped so a
    ///   lying header cannot ask for more than the machine has; a mapped file only by its size).
    /// - Throws: `DataPrepError` naming `name` and the offset of the bad field.
    static func layout(of bytes: UnsafeRawBufferPointer, name: String,
                       maximumDataBytes: Int = .max) throws -> (dtype: DType, shape: [Int], dataStart: Int) {
        guard !bytes.isEmpty else { throw DataPrepError.emptyFile(path: name) }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        guard bytes.count >= 10 else { throw DataPrepError.truncated(path: name, expected: 10, found: bytes.count) }
        guard bytes[0..<6].elementsEqual(magic) else {
            throw DataPrepError.wrongMagic(path: name, expected: "\\x93NUMPY", found: Array(bytes.prefix(6)).hexPrefix(6),
                                           hint: FileSignature.hint(for: Array(bytes.prefix(16))))
        }
        let major = bytes[6]
        let headerStart: Int, headerLength: Int
        switch major {
        case 1:
            headerStart = 10; headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw DataPrepError.truncated(path: name, expected: 12, found: bytes.count) }
            headerStart = 12
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        default:
            throw DataPrepError.badHeader(path: name, offset: 6, field: "version", expected: "1, 2 or 3", found: "\(major)")
        }
        guard headerLength <= Self.maximumHeaderLength else {
            throw DataPrepError.limitExceeded(path: name, what: "npy header length", limit: Self.maximumHeaderLength, found: headerLength)
        }
        guard bytes.count >= headerStart + headerLength else {
            throw DataPrepError.truncated(path: name, expected: headerStart + headerLength, found: bytes.count)
        }
        guard let header = String(validating: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self) else {
            throw DataPrepError.badHeader(path: name, offset: headerStart, field: "header", expected: "ASCII text", found: "invalid bytes")
        }
        let fields = try Self.parseHeader(header, name: name, offset: headerStart)
        let dataStart = headerStart + headerLength
        let expected = try fields.shape.reduce(fields.dtype.size) { total, dim in
            let (product, overflow) = total.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= maximumDataBytes else {
                throw DataPrepError.badHeader(path: name, offset: headerStart, field: "shape", expected: "a size that fits in memory",
                                              found: "\(fields.shape)")
            }
            return product
        }
        guard bytes.count - dataStart == expected else {
            throw DataPrepError.sizeMismatch(path: name, expected: "\(expected) data bytes for \(fields.dtype.numpyName) \(fields.shape)",
                                             found: bytes.count - dataStart, hint: nil)
        }
        return (fields.dtype, fields.shape, dataStart)
    }

    /// Parses the header dict. Only the three keys NumPy writes are accepted, in any order.
    static func parseHeader(_ header: String, name: String, offset: Int) throws -> (dtype: DType, shape: [Int]) {
        func bad(_ field: String, _ expected: String, _ found: String) -> DataPrepError {
            .badHeader(path: name, offset: offset, field: field, expected: expected, found: found)
        }
        let text = header.trimmingCharacters(in: " \n")
        guard text.hasPrefix("{"), text.hasSuffix("}") else { throw bad("header", "a Python dict literal", String(text.prefix(40))) }
        guard let descr = value(of: "descr", in: text), let dtypeText = quoted(descr) else {
            throw bad("descr", "a quoted dtype such as '<f4'", value(of: "descr", in: text) ?? "nothing")
        }
        let normalized = dtypeText == "<u1" || dtypeText == "u1" ? "|u1" : dtypeText
        guard let dtype = DType(rawValue: normalized) else {
            throw bad("descr", "|u1, <i4, <i8 or <f4 (little-endian)", dtypeText)
        }
        guard let order = value(of: "fortran_order", in: text) else { throw bad("fortran_order", "False", "nothing") }
        guard order.hasPrefix("False") else { throw bad("fortran_order", "False (C order)", String(order.prefix(5))) }
        guard let shapeText = value(of: "shape", in: text), shapeText.hasPrefix("("), let close = shapeText.firstIndex(of: ")") else {
            throw bad("shape", "a tuple of sizes", value(of: "shape", in: text) ?? "nothing")
        }
        let inner = shapeText[shapeText.index(after: shapeText.startIndex)..<close]
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: " ")
            if trimmed.isEmpty { continue }
            guard let dim = Int(trimmed), dim >= 0 else { throw bad("shape", "non-negative integers", String(inner)) }
            shape.append(dim)
        }
        return (dtype, shape)
    }

    /// The text after `'key':` up to the end of the dict.
    private static func value(of key: String, in text: String) -> String? {
        guard let range = text.range(of: "'\(key)':") else { return nil }
        return String(text[range.upperBound...]).trimmingCharacters(in: " ")
    }

    private static func quoted(_ text: String) -> String? {
        guard let quote = text.first, quote == "'" || quote == "\"" else { return nil }
        let rest = text.dropFirst()
        guard let end = rest.firstIndex(of: quote) else { return nil }
        return String(rest[..<end])
    }
}

extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
