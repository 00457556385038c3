import DataPrep

/// IDX and CIFAR fixtures: tiny datasets whose every byte follows a formula the tests repeat,
/// plus a corrupt twin for each way these formats break in the wild.
enum TensorFixtures {
    /// Pixel `(y, x)` of MNIST-like image `i` (the tests use the same formula).
    static func mnistPixel(_ i: Int, _ y: Int, _ x: Int) -> UInt8 { UInt8((i * 31 + y * 7 + x * 3) % 256) }

    /// Byte of CIFAR record `r`, channel `c` (0 R, 1 G, 2 B), pixel `(y, x)`.
    static func cifarPixel(_ r: Int, _ c: Int, _ y: Int, _ x: Int) -> UInt8 { UInt8((r * 13 + c * 85 + y * 5 + x * 2) % 256) }

    /// Fine label of CIFAR-100 fixture record `r`: walks through the fine classes with a stride
    /// so the records cover several superclasses.
    static func cifar100Fine(_ r: Int) -> Int { (r * 37 + 3) % 100 }

    static func write(into root: String) throws -> [String] {
        var out = FixtureWriter(root: root)
        try writeIDX(&out)
        try writeCIFAR(&out)
        return out.written
    }

    // MARK: IDX

    private static func images(count: Int, offset: Int = 0) -> IDXArray {
        var pixels: [UInt8] = []
        for i in 0..<count { for y in 0..<28 { for x in 0..<28 { pixels.append(mnistPixel(i + offset, y, x)) } } }
        return IDXArray(shape: [count, 28, 28], storage: .uint8(pixels))
    }

    private static func labels(count: Int, offset: Int = 0) -> IDXArray {
        IDXArray(shape: [count], storage: .uint8((0..<count).map { UInt8(($0 + offset) % 10) }))
    }

    private static func writeIDX(_ out: inout FixtureWriter) throws {
        // A complete MNIST-style folder: train gzipped (as downloaded), test raw (as extracted).
        try out.write("idx/mnist/train-images-idx3-ubyte.gz", Gzip.compress(images(count: 20).encoded()))
        try out.write("idx/mnist/train-labels-idx1-ubyte.gz", Gzip.compress(labels(count: 20).encoded()))
        try out.write("idx/mnist/t10k-images-idx3-ubyte", images(count: 10, offset: 100).encoded())
        try out.write("idx/mnist/t10k-labels-idx1-ubyte", labels(count: 10, offset: 3).encoded())
        // The same train pair under a Fashion-MNIST folder name (class names come from the name).
        try out.write("idx/fashion-mnist/train-images-idx3-ubyte.gz", Gzip.compress(images(count: 20).encoded()))
        try out.write("idx/fashion-mnist/train-labels-idx1-ubyte.gz", Gzip.compress(labels(count: 20).encoded()))

        // One file per IDX element type, with negative and fractional values.
        try out.write("idx/dtypes/uint8-rank1.idx", IDXArray(shape: [4], storage: .uint8([0, 1, 254, 255])).encoded())
        try out.write("idx/dtypes/int8-rank2.idx", IDXArray(shape: [2, 2], storage: .int8([-128, -1, 0, 127])).encoded())
        try out.write("idx/dtypes/int16-rank3.idx", IDXArray(shape: [2, 1, 2], storage: .int16([-32768, -2, 258, 32767])).encoded())
        try out.write("idx/dtypes/int32-rank4.idx", IDXArray(shape: [1, 2, 1, 2], storage: .int32([Int32.min, -65536, 16_909_060, Int32.max])).encoded())
        try out.write("idx/dtypes/float32-rank2.idx", IDXArray(shape: [1, 3], storage: .float32([-1.5, 0.25, 3.0e38])).encoded())
        try out.write("idx/dtypes/float64-rank1.idx", IDXArray(shape: [2], storage: .float64([-0.1, 1e300])).encoded())
        try out.write("idx/dtypes/int16-rank3.idx.gz", Gzip.compress(IDXArray(shape: [2, 1, 2], storage: .int16([-32768, -2, 258, 32767])).encoded()))

        // Corrupt twins.
        let good = labels(count: 10).encoded()
        try out.write("idx/corrupt/zero-byte.idx", [])
        try out.write("idx/corrupt/wrong-magic.idx", [0x01, 0x02] + good.dropFirst(2))
        try out.write("idx/corrupt/bad-dtype.idx", [0, 0, 0x0A, 1] + good.dropFirst(4))
        try out.write("idx/corrupt/rank-zero.idx", [0, 0, 0x08, 0])
        try out.write("idx/corrupt/rank-five.idx", [0, 0, 0x08, 5] + [UInt8](repeating: 0, count: 20))
        try out.write("idx/corrupt/truncated-header.idx", [0, 0, 0x08, 3, 0, 0])
        try out.write("idx/corrupt/truncated-payload.idx", Array(images(count: 3).encoded().dropLast(100)))
        // Header claims 60000 x 28 x 28 (47 MB) but the file holds two images: must not allocate 47 MB.
        var lying = images(count: 2).encoded()
        lying.replaceSubrange(4..<8, with: [0, 0, 0xEA, 0x60])
        try out.write("idx/corrupt/lying-header.idx", lying)
        // Dimensions whose product overflows 64 bits.
        try out.write("idx/corrupt/overflow-dims.idx", [0, 0, 0x0E, 4] + [UInt8](repeating: 0xFF, count: 16) + [1, 2, 3])
        try out.write("idx/corrupt/trailing-bytes.idx", good + [0xAB, 0xCD])
        try out.write("idx/corrupt/html-saved-as.gz", Array("<html><body>404 Not Found</body></html>\n".utf8))
        try out.write("idx/corrupt/truncated.idx.gz", Array(Gzip.compress(images(count: 3).encoded()).dropLast(40)))
        // A folder whose label file has fewer labels than there are images.
        try out.write("idx/mismatch/train-images-idx3-ubyte", images(count: 5).encoded())
        try out.write("idx/mismatch/train-labels-idx1-ubyte", labels(count: 4).encoded())
        // Float "labels".
        try out.write("idx/float-labels/train-images-idx3-ubyte", images(count: 2).encoded())
        try out.write("idx/float-labels/train-labels-idx1-ubyte", IDXArray(shape: [2], storage: .float32([0.5, 1])).encoded())
    }

    // MARK: CIFAR

    static func cifar10Record(_ r: Int, label: Int? = nil) -> [UInt8] {
        var record = [UInt8(label ?? (r % 10))]
        for c in 0..<3 { for y in 0..<32 { for x in 0..<32 { record.append(cifarPixel(r, c, y, x)) } } }
        return record
    }

    static func cifar100Record(_ r: Int, coarse: Int? = nil, fine: Int? = nil) -> [UInt8] {
        let f = fine ?? cifar100Fine(r)
        var record = [UInt8(coarse ?? CIFARClassNames.fineToCoarse[min(f, 99)]), UInt8(f)]
        for c in 0..<3 { for y in 0..<32 { for x in 0..<32 { record.append(cifarPixel(r, c, y, x)) } } }
        return record
    }

    /// CIFAR-10: five training batches of 3 records (records 0-14) and a test batch of 10 (100-109).
    static func cifar10Files() -> [(String, [UInt8])] {
        var files: [(String, [UInt8])] = [("batches.meta.txt", Array((CIFARClassNames.cifar10.joined(separator: "\n") + "\n\n").utf8))]
        for b in 1...5 { files.append(("data_batch_\(b).bin", ((b - 1) * 3 ..< b * 3).flatMap { cifar10Record($0) })) }
        files.append(("test_batch.bin", (100..<110).flatMap { cifar10Record($0) }))
        return files
    }

    /// Records of the CIFAR-100 training file: 0-11, then 48 (spider), 66 (lobster) and 79 (crab),
    /// so that with 2 (snail) and 8 (worm) every fine class of superclass 13 (non-insect
    /// invertebrates) has a training image and `merge-cifar` yields all 15 classes.
    static let cifar100TrainRecords = Array(0..<12) + [48, 66, 79]
    /// Records of the CIFAR-100 test file: 200-204 (202 is a snail), then 208 (worm), 248
    /// (spider), 279 (crab), 366 (lobster). Lobster is 366, not 266: records equal modulo 256
    /// have equal pixels, and 266 would duplicate CIFAR-10 training record 10 across splits.
    static let cifar100TestRecords = Array(200..<205) + [208, 248, 279, 366]

    /// CIFAR-100: 15 training records and 9 test records (`cifar100TrainRecords`, `cifar100TestRecords`).
    static func cifar100Files() -> [(String, [UInt8])] {
        [("coarse_label_names.txt", Array((CIFARClassNames.cifar100Coarse.joined(separator: "\n") + "\n").utf8)),
         ("fine_label_names.txt", Array((CIFARClassNames.cifar100Fine.joined(separator: "\n") + "\n").utf8)),
         ("train.bin", cifar100TrainRecords.flatMap { cifar100Record($0) }),
         ("test.bin", cifar100TestRecords.flatMap { cifar100Record($0) })]
    }

    private static func writeCIFAR(_ out: inout FixtureWriter) throws {
        for (variant, files) in [(CIFARVariant.cifar10, cifar10Files()), (.cifar100, cifar100Files())] {
            var tar = TarWriter()
            tar.addDirectory(path: variant.archiveFolder)
            for (name, bytes) in files {
                try out.write("cifar/\(variant.archiveFolder)/\(name)", bytes)
                tar.addFile(path: "\(variant.archiveFolder)/\(name)", bytes: bytes)
            }
            let archive = variant == .cifar10 ? "cifar-10-binary.tar.gz" : "cifar-100-binary.tar.gz"
            let gz = try Gzip.compress(tar.finish())
            try out.write("cifar/\(archive)", gz)
            if variant == .cifar10 { try out.write("cifar/corrupt/truncated-cifar-10-binary.tar.gz", Array(gz.prefix(gz.count / 2))) }
        }
        try out.write("cifar/corrupt/zero-byte/data_batch_1.bin", [])
        try out.write("cifar/corrupt/partial-record.bin", (0..<2).flatMap { cifar10Record($0) } + [7, 7, 7])
        try out.write("cifar/corrupt/cifar10-label-out-of-range.bin", cifar10Record(0) + cifar10Record(1, label: 10))
        try out.write("cifar/corrupt/cifar100-fine-out-of-range.bin", cifar100Record(0) + cifar100Record(1, coarse: 3, fine: 100))
        try out.write("cifar/corrupt/cifar100-coarse-out-of-range.bin", cifar100Record(0, coarse: 20, fine: 4))
        try out.write("cifar/corrupt/cifar100-wrong-superclass.bin", cifar100Record(0, coarse: 1, fine: 4))
        // CIFAR-100 records under a CIFAR-10 name: the size hint should say so.
        try out.write("cifar/corrupt/cifar100-as-cifar10/data_batch_1.bin", (0..<3).flatMap { cifar100Record($0) })
        try out.write("cifar/corrupt/short-meta/batches.meta.txt", Array("airplane\nautomobile\n".utf8))
        try out.write("cifar/corrupt/short-meta/test_batch.bin", cifar10Record(0))
    }
}

/// Writes fixture files below a root, remembering their relative paths.
struct FixtureWriter {
    let root: String
    var written: [String] = []

    mutating func write(_ relative: String, _ bytes: [UInt8]) throws {
        let path = root + "/" + relative
        if let slash = path.lastIndex(of: "/") { try FileIO.makeDirectories(String(path[..<slash])) }
        try FileIO.writeAtomically(bytes, to: path)
        written.append(relative)
    }
}
