/// Decoded records of one CIFAR binary batch file.
public struct CIFARBatch: Equatable, Sendable {
    /// `count * 32 * 32 * 3` bytes, HWC (transposed from the file's planar R, G, B).
    public var pixels: [UInt8]
    /// Label (CIFAR-10) or fine label (CIFAR-100) of each record.
    public var labels: [Int32]
    /// Coarse label of each record (CIFAR-100 only).
    public var coarseLabels: [Int32]?

    public var count: Int { labels.count }

    /// Decodes a batch file's bytes.
    ///
    /// The record count comes from the size (never assumed to be 10,000): a size that is not a
    /// whole number of records is an error whose hint says when it fits the other variant. Every
    /// label byte is range-checked, and for CIFAR-100 each fine label must belong to its coarse
    /// label per the official superclass table.
    public init(bytes: [UInt8], name: String, variant: CIFARVariant) throws {
        guard !bytes.isEmpty else { throw DataPrepError.emptyFile(path: name) }
        let size = variant.recordSize
        guard bytes.count % size == 0 else {
            let other: CIFARVariant = variant == .cifar10 ? .cifar100 : .cifar10
            let hint = bytes.count % other.recordSize == 0
                ? "records are \(other.recordSize) bytes: this looks like \(other.rawValue)"
                : "\(bytes.count / size) whole records and \(bytes.count % size) bytes left over: the file is probably truncated"
            throw DataPrepError.sizeMismatch(path: name, expected: "a multiple of \(size) (\(variant.rawValue) records)",
                                             found: bytes.count, hint: hint)
        }
        let count = bytes.count / size
        var labels = [Int32](repeating: 0, count: count)
        var coarse: [Int32]? = variant == .cifar100 ? [Int32](repeating: 0, count: count) : nil
        for record in 0..<count {
            let offset = record * size
            if variant == .cifar10 {
                let label = Int(bytes[offset])
                guard label < 10 else {
                    throw DataPrepError.labelOutOfRange(path: name, record: record, offset: offset, label: label, classCount: 10)
                }
                labels[record] = Int32(label)
            } else {
                let c = Int(bytes[offset]), f = Int(bytes[offset + 1])
                guard c < 20 else {
                    throw DataPrepError.labelOutOfRange(path: name, record: record, offset: offset, label: c, classCount: 20)
                }
                guard f < 100 else {
                    throw DataPrepError.labelOutOfRange(path: name, record: record, offset: offset + 1, label: f, classCount: 100)
                }
                guard CIFARClassNames.fineToCoarse[f] == c else {
                    throw DataPrepError.inconsistent(
                        path: name, reason: "record \(record) (offset \(offset)): fine label \(f) (\(CIFARClassNames.cifar100Fine[f])) belongs to superclass \(CIFARClassNames.fineToCoarse[f]), but the record says \(c)")
                }
                labels[record] = Int32(f)
                coarse![record] = Int32(c)
            }
        }
        self.labels = labels
        self.coarseLabels = coarse
        self.pixels = Self.planarToInterleaved(bytes, recordSize: size, labelBytes: variant.labelBytes, count: count)
    }

    /// Transposes each record's 1024 R, 1024 G, 1024 B planes into HWC pixels.
    static func planarToInterleaved(_ bytes: [UInt8], recordSize: Int, labelBytes: Int, count: Int) -> [UInt8] {
        let plane = 1024
        return [UInt8](unsafeUninitializedCapacity: count * 3 * plane) { out, initialized in
            bytes.withUnsafeBufferPointer { src in
                for record in 0..<count {
                    let s = record &* recordSize &+ labelBytes
                    let d = record &* 3 &* plane
                    for p in 0..<plane {
                        out[d &+ 3 &* p] = src[s &+ p]
                        out[d &+ 3 &* p &+ 1] = src[s &+ plane &+ p]
                        out[d &+ 3 &* p &+ 2] = src[s &+ 2 &* plane &+ p]
                    }
                }
            }
            initialized = count * 3 * plane
        }
    }
}
