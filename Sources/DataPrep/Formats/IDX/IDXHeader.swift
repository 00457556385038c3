/// The validated header of an IDX file: what `IDXArray(bytes:name:)` checks before it touches
/// the payload, shared with the streaming image reader (`MNISTFolder.load(spillDirectory:)`),
/// which sees only the file's first bytes before it streams the rest.
struct IDXHeader: Equatable {
    let dataType: IDXDataType
    let shape: [Int]
    /// Header bytes: 4 + 4 × rank.
    let size: Int
    /// Payload bytes: product(shape) × element size.
    let payloadBytes: Int

    /// Bytes the whole file must have.
    var fileSize: Int { size + payloadBytes }

    /// Parses and checks the header from the file's first bytes (the whole file when it is
    /// shorter than `IDXHeader.maximumSize`).
    ///
    /// Checks, in order: non-empty; magic `00 00`; a defined type byte; rank 1...4; the header
    /// fits; the product of dimensions does not overflow.
    /// - Parameter name: the path (or `archive:member`) named in errors.
    init(prefix bytes: borrowing [UInt8], name: String) throws {
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
        guard (1...IDXArray.maximumRank).contains(rank) else {
            throw DataPrepError.badHeader(path: name, offset: 3, field: "rank",
                                          expected: "1...\(IDXArray.maximumRank)", found: "\(rank)")
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
        dataType = type
        self.shape = shape
        size = headerSize
        payloadBytes = payload
    }

    /// The most header bytes a valid file has (rank 4).
    static let maximumSize = 4 + 4 * IDXArray.maximumRank

    /// Checks that the file's byte count is exactly header + payload.
    /// - Throws: `.truncated` when short, `.sizeMismatch` naming the extra bytes when long.
    func checkSize(_ count: Int, name: String) throws {
        let (expected, overflow) = size.addingReportingOverflow(payloadBytes)
        if overflow || count < expected {
            throw DataPrepError.truncated(path: name, expected: overflow ? .max : expected, found: count)
        }
        if count > expected {
            let shapeText = shape.map(String.init).joined(separator: "x")
            throw DataPrepError.sizeMismatch(
                path: name, expected: "\(expected) bytes (\(size)-byte header + \(shapeText) x \(dataType.byteSize))",
                found: count, hint: "\(count - expected) bytes follow the data")
        }
    }
}
