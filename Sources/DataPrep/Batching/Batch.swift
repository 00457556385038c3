/// One batch of float32 NHWC images and their labels: what a batch source (the in-memory
/// `ArrayBatchSource`, Augment's `BatchLoader`) hands to the trainer.
///
/// Storage is reused from batch to batch; `count` may be smaller than the capacity for the last
/// batch of an epoch, and only the first `count` samples of `images`/`labels`/`indices` are valid.
public struct Batch: Sendable {
    public let height: Int
    public let width: Int
    public let channels: Int
    /// Valid samples in this batch.
    public var count: Int
    /// `capacity * height * width * channels` floats, NHWC.
    public var images: [Float]
    /// `capacity` labels (class indices).
    public var labels: [Int32]
    /// `capacity` sample indices into the source dataset (for per-sample seeds and reports).
    public var indices: [Int]
    /// The epoch the batch belongs to.
    public var epoch: Int
    /// The samples whose `images` hold this batch's pixels: all `0..<count` unless the source
    /// was asked for a share (`BatchFilling`).
    public var filled: Range<Int> {
        get { share ?? 0..<count }
        set { share = newValue }
    }
    private var share: Range<Int>?

    /// An empty batch able to hold `capacity` samples of the given shape.
    public init(capacity: Int, height: Int, width: Int, channels: Int) {
        precondition(capacity > 0 && height > 0 && width > 0 && channels > 0, "Batch needs positive sizes")
        self.height = height; self.width = width; self.channels = channels
        count = 0; epoch = 0
        images = [Float](repeating: 0, count: capacity * height * width * channels)
        labels = [Int32](repeating: 0, count: capacity)
        indices = [Int](repeating: 0, count: capacity)
    }

    /// Samples the storage can hold.
    public var capacity: Int { labels.count }
    /// Floats per sample.
    public var sampleSize: Int { height * width * channels }
}
