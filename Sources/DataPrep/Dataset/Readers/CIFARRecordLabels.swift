/// The labels of a CIFAR batch's records, read from each record's label bytes: no pixel is
/// transposed, so a listing costs one pass over the file's bytes at most.
struct CIFARRecordLabels: Sendable {
    var labels: [Int32]
    /// CIFAR-100's coarse labels (nil for CIFAR-10).
    var coarseLabels: [Int32]?

    /// The labels of `bytes`' records, checked by the decoder's own parser (`CIFARLabels`), so
    /// a listing and a load report one fault in the same words.
    /// - Parameter name: the path (or `archive:member`) named in errors.
    init(bytes: [UInt8], name: String, variant: CIFARVariant) throws {
        let count = try CIFARBatch.recordCount(bytes.count, name: name, variant: variant)
        var parsed = CIFARLabels(variant: variant, capacity: count)
        try bytes.withUnsafeBufferPointer { try parsed.append(records: $0, firstRecord: 0, name: name) }
        labels = parsed.fine
        coarseLabels = parsed.coarse
    }
}
