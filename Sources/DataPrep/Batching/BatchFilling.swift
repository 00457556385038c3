/// Which samples of each batch a `BatchSource` fills with pixels: all of them, or only the
/// ones this process computes when the ranks of an MPI job share every batch (its run of whole
/// blocks in a training step, or its whole batches in a validation pass).
///
/// Why: every rank walks the same batches (same order, same labels) but computes only its
/// share; decoding, augmenting and normalizing the others' samples would cost each rank the
/// whole epoch's loading. The rule is pure (a batch's index and size in, a range out) so the
/// loader's worker threads may call it. Labels and indices are set for every sample whatever
/// the rule says: they cost nothing and keep a batch's description whole.
public struct BatchFilling: Sendable {
    private let rule: @Sendable (_ batch: Int, _ count: Int) -> Range<Int>

    /// - Parameter rule: the samples to fill (within `0..<count`) of batch `batch` (its index in
    ///   the epoch) holding `count` samples.
    public init(_ rule: @escaping @Sendable (_ batch: Int, _ count: Int) -> Range<Int>) { self.rule = rule }

    /// Every sample of every batch.
    public static let everything = BatchFilling { _, count in 0..<count }

    /// The samples to fill of batch `batch` with `count` samples (clamped to `0..<count`).
    public func samples(batch: Int, count: Int) -> Range<Int> {
        rule(batch, count).clamped(to: 0..<count)
    }
}
