/// The PNG formats: `png/SPLIT/CLASS/NNNNNN.png` and WebDataset shards `wds/SPLIT-NNNNNN.tar`,
/// streamed from one encoding of each sample.
extension DatasetWriter {
    /// Encodes `data` one chunk at a time (the chunk's PNGs in parallel, each at its own index)
    /// and writes every PNG of the chunk, as a file and/or into the open shard, before the next
    /// chunk is encoded: memory holds one chunk of PNGs, never a split or a whole shard. A
    /// shard is streamed into its (atomically committed) file as its chunks are encoded; an
    /// empty split still gets one empty shard, so every split has a `-000000.tar`.
    ///
    /// With `encodeSharing` each chunk's PNGs are encoded by the processes sharing it; a nil
    /// `folder` walks the same chunks writing nothing (a process encoding shares for the writer).
    func writeEncoded(_ data: ImageDataset, split: String, classNames: [String], into folder: String?,
                      advance: (Int) -> Void) throws {
        let files = folder != nil && formats.contains(.png), shards = formats.contains(.wds)
        let root = folder ?? ""  // names nothing used without a folder
        let pngDir = joinPath(joinPath(root, ExportFormat.png.rawValue), split)
        let classFolders = classNames.map(Self.safeFolderName)
        if files { for name in Set(classFolders) { try FileIO.makeDirectories(joinPath(pngDir, name)) } }
        let chunk = chunkSize(bytesPerSample: data.sampleSize)

        /// Encodes samples `range` chunk by chunk, writes their PNG files, and hands each
        /// chunk's first index and PNGs to `body` (nothing is written or handed on without a folder).
        func encode(_ range: Range<Int>, _ body: (Int, [[UInt8]]) throws -> Void) throws {
            for part in Self.chunks(range, size: chunk) {
                func encodePNGs(_ slots: Range<Int>) throws -> [[UInt8]] {
                    try Parallel.map(count: slots.count, threads: threads) { try PNG.encode(data.image(at: part.lowerBound + slots.lowerBound + $0)) }
                }
                let pngs = try encodeSharing?.encodeChunk(count: part.count, encode: encodePNGs) ?? encodePNGs(0..<part.count)
                guard folder != nil else { continue }
                precondition(pngs.count == part.count, "\(pngs.count) PNGs collected for a chunk of \(part.count) samples")
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

        guard shards else { return try encode(0..<data.count) { _, _ in } }
        let wdsDir = joinPath(root, ExportFormat.wds.rawValue)
        if folder != nil { try FileIO.makeDirectories(wdsDir) }
        for shard in 0..<max(1, (data.count + shardSize - 1) / shardSize) {
            let range = (shard * shardSize)..<min((shard + 1) * shardSize, data.count)
            guard folder != nil else { try encode(range) { _, _ in }; continue }
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

    /// A process's part of a shared write (`encodeSharing`): walks the chunks `write` encodes
    /// for `dataset` and encodes this process's shares of them, writing nothing.
    public func encodeShares(_ dataset: PreparedDataset) throws {
        guard formats.contains(.png) || formats.contains(.wds) else { return }
        for (name, data) in dataset.splits { try writeEncoded(data, split: name, classNames: dataset.classNames, into: nil) { _ in } }
    }
}
