/// The array formats: `x.npy` / `y.npy`, the float32 export, IDX and CIFAR records.
extension DatasetWriter {
    /// The folder holding a split's `x.npy` / `y.npy`: the split's own, or the float32 export's.
    static func arrayFolder(_ folder: String, split: String, floats: Bool) -> String {
        floats ? joinPath(joinPath(folder, ExportFormat.npyFloat32.rawValue), split) : joinPath(folder, split)
    }

    /// Makes `x.npy` (uint8, or float32 for the export) and `y.npy` (int64) of one split in
    /// `dir`, each holding its header and sized for every sample, for the writers of the
    /// samples to fill in place (`writeArrays`, `writeFloats`).
    static func stageArrays(_ data: ImageDataset, in dir: String, floats: Bool) throws {
        let itemSize = floats ? 4 : 1
        try FileIO.makeDirectories(dir)
        try FileIO.createSized(joinPath(dir, "x.npy"), header: imagesHeader(data, floats: floats), dataBytes: data.count * data.sampleSize * itemSize)
        try FileIO.createSized(joinPath(dir, "y.npy"), header: labelsHeader(data), dataBytes: data.count * 8)
    }

    static func imagesHeader(_ data: ImageDataset, floats: Bool) -> [UInt8] {
        NPYArray.header(dtype: floats ? .float32 : .uint8, shape: [data.count, data.height, data.width, data.channels])
    }

    static func labelsHeader(_ data: ImageDataset) -> [UInt8] { NPYArray.header(dtype: .int64, shape: [data.count]) }

    /// Samples `range` of the NHWC uint8 `x.npy` and the int64 `y.npy` of a staged split,
    /// written in place straight from the dataset's pixels: a mapped split is never copied.
    func writeArrays(_ data: ImageDataset, samples range: Range<Int>, into dir: String) throws {
        let header = Self.imagesHeader(data, floats: false)
        try FileIO.writeInPlace(joinPath(dir, "x.npy"), at: header.count + range.lowerBound * data.sampleSize) { write in
            try data.storage.withUnsafeBufferPointer {
                try write(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer($0)[(range.lowerBound * data.sampleSize)..<(range.upperBound * data.sampleSize)]))
            }
        }
        try Self.writeLabels(data, samples: range, into: dir)
    }

    /// Samples `range` of a staged split's int64 `y.npy` (and of its copy in the float32 export).
    static func writeLabels(_ data: ImageDataset, samples range: Range<Int>, into dir: String) throws {
        let labels = data.labels[range].map { Int64($0).littleEndian }
        try FileIO.writeInPlace(joinPath(dir, "y.npy"), at: labelsHeader(data).count + range.lowerBound * 8) { write in
            try labels.withUnsafeBytes { try write($0) }
        }
    }

    /// Samples `range` of the NHWC float32 images through `normalization`
    /// (`npy-float32/SPLIT/x.npy`) and their labels, converted one chunk at a time: the bytes
    /// of one whole-array conversion, `chunk × sampleSize × 4` bytes of floats in memory
    /// whatever the split's size.
    func writeFloats(_ data: ImageDataset, samples range: Range<Int>, normalization: Normalization, into dir: String) throws {
        let header = Self.imagesHeader(data, floats: true), size = data.sampleSize
        let chunk = chunkSize(bytesPerSample: size * 4)
        try FileIO.writeInPlace(joinPath(dir, "x.npy"), at: header.count + range.lowerBound * size * 4) { write in
            try data.storage.withUnsafeBufferPointer { src in
                var floats = [Float](repeating: 0, count: min(chunk, range.count) * size)
                try floats.withUnsafeMutableBufferPointer { dst in
                    for part in Self.chunks(range, size: chunk) {
                        let out = UnsafeMutableBufferPointer(rebasing: dst[0..<(part.count * size)])
                        normalization.apply(UnsafeBufferPointer(rebasing: src[(part.lowerBound * size)..<(part.upperBound * size)]),
                                            channels: data.channels, into: out)
                        try write(UnsafeRawBufferPointer(out))
                    }
                }
            }
        }
        try Self.writeLabels(data, samples: range, into: dir)
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
