/// What the headers of a collection's images say about the dataset shape they make, so a folder
/// of same-size images (28x28 digits) loads without `--resize` and a folder of gray images stays
/// one channel: decoding is then lossless and nothing is resampled or converted behind the
/// user's back.
extension ImageCollection {
    /// The shape every readable image shares, or the two images that show it does not.
    public struct SourceShape: Sendable {
        /// A readable image's display name and its size after EXIF orientation.
        public struct Sample: Sendable, Equatable {
            public var name: String
            public var width: Int
            public var height: Int
        }

        /// The first readable image (nil when no header could be read).
        public var first: Sample?
        /// The first image whose size differs from `first`'s; nil when all share one size (as
        /// far as `scan` looked: it stops at the first mismatch when asked only about size).
        public var differing: Sample?
        /// Whether every readable image is single-channel gray (`info`'s channel count 1).
        public var allGray: Bool

        /// The size shared by every image, when one is.
        public var commonSize: (width: Int, height: Int)? {
            guard let first, differing == nil else { return nil }
            return (first.width, first.height)
        }

        /// The colour a dataset made from these images keeps: gray only when every image is.
        public var nativeColor: ColorMode { allGray && first != nil ? .gray : .rgb }
    }

    /// Reads the header of every image (no pixel is decoded) in blocks of `threads` workers,
    /// stopping once both answers are known: a size mismatch was found (or `needSize` is false)
    /// and a colour image was seen (or `needColor` is false). Unreadable files are passed over
    /// here; loading reports them (or stops on them with `strict`).
    ///
    /// - Complexity: O(n) file reads in the worst case (a folder of same-size gray images);
    ///   a typical photo folder stops after its first colour image and first size mismatch.
    public func sourceShape(needSize: Bool = true, needColor: Bool = true,
                            threads: Int = Parallel.defaultThreads) throws -> SourceShape {
        let items = splits.flatMap(\.items)
        var shape = SourceShape(first: nil, differing: nil, allGray: true)
        let block = max(64, 16 * threads)
        for start in stride(from: 0, to: items.count, by: block) {
            let end = min(items.count, start + block)
            let headers = try Parallel.map(count: end - start, threads: threads) { k -> ImageFile.Probe? in
                let item = items[start + k]
                return try? ImageFile.header(bytes(of: item), name: displayName(of: item))
            }
            for (k, header) in headers.enumerated() {
                guard let header else { continue }
                let sample = SourceShape.Sample(name: displayName(of: items[start + k]), width: header.width, height: header.height)
                if header.channels != 1 { shape.allGray = false }
                if let first = shape.first {
                    if shape.differing == nil && (first.width, first.height) != (sample.width, sample.height) { shape.differing = sample }
                } else {
                    shape.first = sample
                }
            }
            let sizeKnown = !needSize || shape.differing != nil
            let colorKnown = !needColor || !shape.allGray
            if sizeKnown && colorKnown { break }
        }
        return shape
    }
}
