/// Reusable working memory for `Pipeline.apply`: one per thread, so augmenting an image in the
/// steady state allocates nothing.
public final class AugmentScratch {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The composed byte table of the pending lookup operations (`PipelineRun.table`), and
    /// room to build one more.
    let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 512)

    public init(capacity: Int = 0) {
        self.capacity = max(1, capacity)
        storage = .allocate(capacity: self.capacity)
    }

    deinit { storage.deallocate(); table.deallocate() }

    /// At least `count` bytes, valid until the next call.
    func bytes(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        if count > capacity {
            storage.deallocate()
            capacity = count
            storage = .allocate(capacity: count)
        }
        return storage
    }
}
