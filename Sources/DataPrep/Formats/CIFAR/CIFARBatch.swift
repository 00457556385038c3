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
        let count = try Self.recordCount(bytes.count, name: name, variant: variant)
        var labels = CIFARLabels(variant: variant, capacity: count)
        try bytes.withUnsafeBufferPointer { try labels.append(records: $0, firstRecord: 0, name: name) }
        self.labels = labels.fine
        self.coarseLabels = labels.coarse
        self.pixels = [UInt8](unsafeUninitializedCapacity: count * CIFARVariant.pixelBytes) { out, initialized in
            bytes.withUnsafeBufferPointer { Self.planarToInterleaved($0, variant: variant, count: count, into: out) }
            initialized = count * CIFARVariant.pixelBytes
        }
    }

    /// Records in a batch file of `size` bytes.
    /// - Throws: `.emptyFile`; `.sizeMismatch` when `size` is not a whole number of records,
    ///   hinting at the other variant when it fits or at truncation.
    static func recordCount(_ size: Int, name: String, variant: CIFARVariant) throws -> Int {
        guard size > 0 else { throw DataPrepError.emptyFile(path: name) }
        let record = variant.recordSize
        guard size % record == 0 else {
            let other: CIFARVariant = variant == .cifar10 ? .cifar100 : .cifar10
            let hint = size % other.recordSize == 0
                ? "records are \(other.recordSize) bytes: this looks like \(other.rawValue)"
                : "\(size / record) whole records and \(size % record) bytes left over: the file is probably truncated"
            throw DataPrepError.sizeMismatch(path: name, expected: "a multiple of \(record) (\(variant.rawValue) records)",
                                             found: size, hint: hint)
        }
        return size / record
    }

    /// Transposes each of `count` records' 1024 R, 1024 G, 1024 B planes into HWC pixels.
    /// - Parameters: `records`: whole records, labels included; `out`: `count * 3072` bytes.
    static func planarToInterleaved(_ records: UnsafeBufferPointer<UInt8>, variant: CIFARVariant, count: Int,
                                    into out: UnsafeMutableBufferPointer<UInt8>) {
        let plane = 1024, recordSize = variant.recordSize, labelBytes = variant.labelBytes
        precondition(records.count >= count * recordSize && out.count >= count * 3 * plane,
                     "planarToInterleaved: \(count) records need \(count * recordSize) in / \(count * 3 * plane) out bytes, got \(records.count) / \(out.count)")
        for record in 0..<count {
            let s = record &* recordSize &+ labelBytes
            let d = record &* 3 &* plane
            for p in 0..<plane {
                out[d &+ 3 &* p] = records[s &+ p]
                out[d &+ 3 &* p &+ 1] = records[s &+ plane &+ p]
                out[d &+ 3 &* p &+ 2] = records[s &+ 2 &* plane &+ p]
            }
        }
    }
}

/// The labels of a batch's records, checked as they are read (possibly a chunk at a time).
struct CIFARLabels {
    let variant: CIFARVariant
    private(set) var fine: [Int32] = []
    private(set) var coarse: [Int32]?

    /// Labels already checked (those of a `CIFARBatch`).
    init(checked batch: CIFARBatch, variant: CIFARVariant) {
        self.variant = variant
        fine = batch.labels
        coarse = batch.coarseLabels
    }

    init(variant: CIFARVariant, capacity: Int) {
        self.variant = variant
        fine.reserveCapacity(capacity)
        if variant == .cifar100 { coarse = []; coarse!.reserveCapacity(capacity) }
    }

    /// Checks and appends the labels of the whole records in `records`, the first of which is
    /// record `firstRecord` of the file `name` (for offsets in errors).
    /// - Throws: `.labelOutOfRange` naming the record and its file offset; `.inconsistent` when
    ///   a CIFAR-100 fine label does not belong to the record's superclass.
    mutating func append(records: UnsafeBufferPointer<UInt8>, firstRecord: Int, name: String) throws {
        let size = variant.recordSize
        for k in 0..<(records.count / size) {
            let record = firstRecord + k, offset = record * size, at = k * size
            if variant == .cifar10 {
                let label = Int(records[at])
                guard label < 10 else {
                    throw DataPrepError.labelOutOfRange(path: name, record: record, offset: offset, label: label, classCount: 10)
                }
                fine.append(Int32(label))
            } else {
                let c = Int(records[at]), f = Int(records[at + 1])
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
                fine.append(Int32(f))
                coarse!.append(Int32(c))
            }
        }
    }
}
