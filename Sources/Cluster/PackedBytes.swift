/// Arrays of plain values laid end to end as bytes, each prefixed by its element count, so one
/// MPI byte message carries a rank's whole result. Both ends run the same binary on the same
/// architecture (a cluster job), so values travel in native byte order.
public struct PackedBytes: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func append<T: BitwiseCopyable>(_ values: [T]) {
        var count = Int64(values.count)
        withUnsafeBytes(of: &count) { bytes.append(contentsOf: $0) }
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Reads the arrays back in the order they were appended.
    public struct Reader {
        private let bytes: [UInt8]
        private var offset = 0
        /// The sender, named in errors.
        private let rank: Int

        public init(_ bytes: [UInt8], from rank: Int) { self.bytes = bytes; self.rank = rank }

        public mutating func next<T: BitwiseCopyable>(_: T.Type = T.self) throws -> [T] {
            guard bytes.count - offset >= 8 else {
                throw ClusterError.malformedMessage(rank: rank, reason: "\(bytes.count - offset) bytes left at offset \(offset), expected an 8-byte count")
            }
            let count = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int64.self) }
            offset += 8
            let size = MemoryLayout<T>.stride
            guard count >= 0, Int(count) <= (bytes.count - offset) / size else {
                throw ClusterError.malformedMessage(rank: rank, reason: "\(count) values of \(size) bytes announced at offset \(offset - 8), \(bytes.count - offset) bytes left")
            }
            let n = Int(count)
            let values = [T](unsafeUninitializedCapacity: n) { buffer, initialized in
                bytes.withUnsafeBytes { source in
                    UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: source[offset..<(offset + n * size)]))
                }
                initialized = n
            }
            offset += n * size
            return values
        }
    }
}
