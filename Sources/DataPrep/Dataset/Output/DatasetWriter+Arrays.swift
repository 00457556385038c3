/// The array formats: `x.npy` / `y.npy`, the float32 export, IDX and CIFAR records.
extension DatasetWriter {
    /// Labels as an int64 `.npy` (`SPLIT/y.npy`, and its copy in the float32 export).
    static func labelsNPY(_ data: ImageDataset) -> [UInt8] {
        NPYArray(int64: data.labels.map(Int64.init), shape: [data.count]).encoded()
    }

    /// NHWC uint8 images as `x.npy`, written straight from the dataset's pixels: a mapped
    /// split is never copied into memory.
    func writeImages(_ data: ImageDataset, to path: String) throws {
        let header = NPYArray.header(dtype: .uint8, shape: [data.count, data.height, data.width, data.channels])
        try FileIO.writeAtomically(to: path) { write in
            try header.withUnsafeBytes { try write($0) }
            try data.storage.withUnsafeBufferPointer { try write(UnsafeRawBufferPointer($0)) }
        }
    }

    /// NHWC float32 images through `normalization` (`npy-float32/SPLIT/x.npy`), converted one
    /// chunk at a time: the bytes of one whole-array conversion, `chunk × sampleSize × 4`
    /// bytes of floats in memory whatever the split's size.
    func writeFloats(_ data: ImageDataset, normalization: Normalization, to path: String) throws {
        let header = NPYArray.header(dtype: .float32, shape: [data.count, data.height, data.width, data.channels])
        let chunk = chunkSize(bytesPerSample: data.sampleSize * 4) * data.sampleSize
        try FileIO.writeAtomically(to: path) { write in
            try header.withUnsafeBytes { try write($0) }
            try data.storage.withUnsafeBufferPointer { src in
                var floats = [Float](repeating: 0, count: min(chunk, src.count))
                try floats.withUnsafeMutableBufferPointer { dst in
                    for range in Self.chunks(0..<src.count, size: chunk) {
                        let out = UnsafeMutableBufferPointer(rebasing: dst[0..<range.count])
                        normalization.apply(UnsafeBufferPointer(rebasing: src[range]), channels: data.channels, into: out)
                        try write(UnsafeRawBufferPointer(out))
                    }
                }
            }
        }
    }

    func writeIDX(_ dataset: PreparedDataset, into dir: String) throws {
        try FileIO.makeDirectories(dir)
        for (name, data) in dataset.splits {
            let color = data.channels > 1
            // The uint8 IDX header (magic 00 00 08 rank, big-endian dimensions), then the pixels
            // straight from the dataset's storage: a mapped split is never copied.
            let shape = color ? [data.count, data.height, data.width, data.channels] : [data.count, data.height, data.width]
            let header = IDXArray.header(dataType: .uint8, shape: shape)
            try FileIO.writeAtomically(to: joinPath(dir, "\(name)-images-idx\(color ? 4 : 3)-ubyte")) { write in
                try header.withUnsafeBytes { try write($0) }
                try data.storage.withUnsafeBufferPointer { try write(UnsafeRawBufferPointer($0)) }
            }
            let labels = dataset.classNames.count <= 256
                ? IDXArray(shape: [data.count], storage: .uint8(data.labels.map { UInt8($0) }))
                : IDXArray(shape: [data.count], storage: .int32(data.labels))
            try FileIO.writeAtomically(labels.encoded(), to: joinPath(dir, "\(name)-labels-idx1-ubyte"))
        }
    }

    /// `cifar/SPLIT_batch.bin`: per sample one label byte then the pixels channel-planar
    /// (all R, all G, all B), built and written one chunk of records at a time.
    func writeCIFAR(_ dataset: PreparedDataset, into dir: String) throws {
        guard dataset.classNames.count <= 256 else {
            throw DataPrepError.unsupported(path: dir, reason: "CIFAR records store the label in one byte; \(dataset.classNames.count) classes do not fit")
        }
        try FileIO.makeDirectories(dir)
        for (name, data) in dataset.splits {
            let plane = data.height * data.width, record = 1 + data.sampleSize
            let chunk = chunkSize(bytesPerSample: record)
            var out = [UInt8](repeating: 0, count: min(chunk, data.count) * record)
            try FileIO.writeAtomically(to: joinPath(dir, "\(name)_batch.bin")) { write in
                try data.storage.withUnsafeBufferPointer { p in
                    try out.withUnsafeMutableBufferPointer { o in
                        for range in Self.chunks(0..<data.count, size: chunk) {
                            for i in range {
                                let r = (i &- range.lowerBound) &* record, s = i &* data.sampleSize
                                o[r] = UInt8(data.labels[i])
                                for c in 0..<data.channels {
                                    for k in 0..<plane { o[r &+ 1 &+ c &* plane &+ k] = p[s &+ k &* data.channels &+ c] }
                                }
                            }
                            try write(UnsafeRawBufferPointer(UnsafeMutableBufferPointer(rebasing: o[0..<(range.count * record)])))
                        }
                    }
                }
            }
        }
        try FileIO.writeAtomically(Array((dataset.classNames.joined(separator: "\n") + "\n").utf8), to: joinPath(dir, "batches.meta.txt"))
    }
}
