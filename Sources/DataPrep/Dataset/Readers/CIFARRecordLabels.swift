/// The labels of a CIFAR batch's records, read from each record's label bytes: no pixel is
/// transposed, so a listing costs one pass over the file's bytes at most.
struct CIFARRecordLabels: Sendable {
    var labels: [Int32]
    /// CIFAR-100's coarse labels (nil for CIFAR-10).
    var coarseLabels: [Int32]?

    /// The labels of `bytes`' records. Bytes that are not whole records with valid labels (a
    /// fine label outside its superclass included) throw `CIFARBatch`'s error for them, so a
    /// listing and a load report one fault in the same words.
    /// - Parameter name: the path (or `archive:member`) named in errors.
    init(bytes: [UInt8], name: String, variant: CIFARVariant) throws {
        let size = variant.recordSize
        let count = bytes.isEmpty || bytes.count % size != 0 ? nil : bytes.count / size
        var labels: [Int32] = [], coarse: [Int32] = []
        if let count {
            labels.reserveCapacity(count)
            for record in 0..<count {
                let offset = record * size
                if variant == .cifar10 {
                    labels.append(Int32(bytes[offset]))
                } else {
                    coarse.append(Int32(bytes[offset]))
                    labels.append(Int32(bytes[offset + 1]))
                }
            }
        }
        let valid = count != nil && (variant == .cifar10
            ? labels.allSatisfy { $0 < 10 }
            : zip(labels, coarse).allSatisfy { fine, c in fine < 100 && c < 20 && CIFARClassNames.fineToCoarse[Int(fine)] == Int(c) })
        guard valid else {
            _ = try CIFARBatch(bytes: bytes, name: name, variant: variant)
            throw DataPrepError.inconsistent(path: name, reason: "CIFAR records the decoder accepts but the listing does not")
        }
        self.labels = labels
        self.coarseLabels = variant == .cifar100 ? coarse : nil
    }
}
