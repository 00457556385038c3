/// The PNG formats: `png/SPLIT/CLASS/NNNNNN.png` and WebDataset shards `wds/SPLIT-NNNNNN.tar`,
/// streamed from one encoding of each sample.
extension DatasetWriter {
    /// How many WebDataset shards a split of `count` samples has: an empty split still gets one
    /// empty shard, so every split has a `-000000.tar`.
    func shardCount(_ count: Int) -> Int { max(1, (count + shardSize - 1) / shardSize) }

    /// The samples of a split of `count` that `share` encodes: with WebDataset shards, those of
    /// its whole shards (a shard is written by one process, and its PNG files by the same, from
    /// the same encoding); otherwise its contiguous share.
    func encodedSamples(_ count: Int, share: WriteShare) -> Range<Int> {
        formats.contains(.wds) ? share.blocks(of: count, block: shardSize) : share.range(of: count)
    }

    /// Encodes `share`'s samples of `data` (`encodedSamples`) one chunk at a time (the chunk's
    /// PNGs in parallel, each at its own index) and writes every PNG of the chunk, as a file
    /// and/or into the open shard, before the next chunk is encoded: memory holds one chunk of
    /// PNGs, never a split or a whole shard. A shard is streamed into its (atomically
    /// committed) file as its chunks are encoded. The folders exist already (`stage`).
    func writeEncoded(_ data: ImageDataset, split: String, classNames: [String], into folder: String, share: WriteShare,
                      advance: (Int) -> Void) throws {
        let files = formats.contains(.png), shards = formats.contains(.wds)
        guard files || shards else { return }
        let pngDir = joinPath(joinPath(folder, ExportFormat.png.rawValue), split)
        let classFolders = classNames.map(Self.safeFolderName)
        let chunk = chunkSize(bytesPerSample: data.sampleSize)

        /// Encodes samples `range` chunk by chunk, writes their PNG files, and hands each
        /// chunk's first index and PNGs to `body`.
        func encode(_ range: Range<Int>, _ body: (Int, [[UInt8]]) throws -> Void) throws {
            for part in Self.chunks(range, size: chunk) {
                let pngs = try Parallel.map(count: part.count, threads: threads) { try PNG.encode(data.image(at: part.lowerBound + $0)) }
                if files {
                    for (k, png) in pngs.enumerated() {
                        let i = part.lowerBound + k
                        // One file per sample: the folders are fsynced once when the staging folder commits.
                        try FileIO.writeAtomically(png, to: joinPath(joinPath(pngDir, classFolders[Int(data.labels[i])]), Self.key(i) + ".png"),
                                                   syncDirectory: false)
                    }
                }
                try body(part.lowerBound, pngs)
                advance(part.count)
            }
        }

        guard shards else { return try encode(share.range(of: data.count)) { _, _ in } }
        let wdsDir = joinPath(folder, ExportFormat.wds.rawValue)
        for shard in share.range(of: shardCount(data.count)) {
            let range = (shard * shardSize)..<min((shard + 1) * shardSize, data.count)
            try FileIO.writeAtomically(to: joinPath(wdsDir, "\(split)-\(Self.key(shard)).tar")) { write in
                try encode(range) { first, pngs in
                    var tar = TarWriter()
                    for (k, png) in pngs.enumerated() {
                        let key = "\(split)_\(Self.key(first + k))"
                        tar.addFile(path: key + ".png", bytes: png)
                        tar.addFile(path: key + ".cls", bytes: Array("\(data.labels[first + k])".utf8))
                    }
                    try tar.takeMembers().withUnsafeBytes { try write($0) }
                }
                try TarWriter.end.withUnsafeBytes { try write($0) }
            }
        }
    }
}
