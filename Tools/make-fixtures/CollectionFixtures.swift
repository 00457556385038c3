import DataPrep

/// Photo-collection fixtures in every layout `ImageCollection` recognises, as folders and zips,
/// with the unreadable and stray files real downloads contain.
enum CollectionFixtures {
    /// A `width`x`height` RGB image whose colour says its class (cats red, dogs blue) and whose
    /// gradient makes each image distinct.
    static func photo(width: Int, height: Int, seed: Int, cat: Bool) -> Image {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let shade = UInt8((x * 4 + y * 3 + seed * 17) % 64)
                pixels += cat ? [200 + shade / 2, 60 + shade, 40] : [40, 60 + shade, 200 + shade / 2]
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }

    static func jpeg(_ w: Int, _ h: Int, _ seed: Int, cat: Bool) throws -> [UInt8] {
        try JPEG.encode(photo(width: w, height: h, seed: seed, cat: cat), quality: 90)
    }

    static func write(into root: String) throws -> [String] {
        var out = FixtureWriter(root: root)
        let kaggle = try kaggleFiles()
        for (name, bytes) in kaggle { try out.write("collections/kaggle/\(name)", bytes) }

        let byClass = try byClassFiles()
        for (name, bytes) in byClass { try out.write("collections/by-class/\(name)", bytes) }

        var splits: [(String, [UInt8])] = []
        for (split, cats, dogs) in [("train", 2, 1), ("test", 1, 2), ("val", 0, 1)] {
            for i in 0..<cats { splits.append(("\(split)/cat/\(i + 1).jpg", try jpeg(12, 10, i + 40, cat: true))) }
            for i in 0..<dogs { splits.append(("\(split)/dog/\(i + 1).jpg", try jpeg(12, 10, i + 50, cat: false))) }
        }
        for (name, bytes) in splits { try out.write("collections/splits/\(name)", bytes) }

        // Kaggle's train.zip layout, with an unlabeled test folder and macOS metadata beside it.
        var zip = ZipWriter()
        zip.addDirectory(path: "train/")
        for (name, bytes) in kaggle where !name.hasPrefix(".") {
            try zip.add(path: "train/\(name)", bytes: bytes, compress: !name.hasSuffix(".jpg"))
        }
        try zip.add(path: "test1/1.jpg", bytes: jpeg(10, 10, 99, cat: true), compress: false)
        try zip.add(path: "__MACOSX/train/._cat.0.jpg", bytes: [0, 5, 22, 7], compress: false)
        try out.write("collections/kaggle-train.zip", zip.finish())

        var classZip = ZipWriter()
        for (name, bytes) in byClass { try classZip.add(path: name, bytes: bytes, compress: true) }
        try out.write("collections/by-class.zip", classZip.finish())

        // The same Kaggle images one level down, as `dogs-vs-cats/train/` is laid out on disk.
        for (name, bytes) in kaggle.prefix(4) { try out.write("collections/kaggle-root/train/\(name)", bytes) }
        try out.write("collections/kaggle-root/test1/1.jpg", jpeg(10, 10, 99, cat: true))
        return out.written
    }

    /// Kaggle-named images of varied sizes: a grayscale JPEG, a real PNG, a PNG misnamed `.jpg`,
    /// a truncated JPEG, a stray text file and hidden files.
    static func kaggleFiles() throws -> [(String, [UInt8])] {
        let truncated = try jpeg(32, 24, 9, cat: false)
        return [
            ("cat.0.jpg", try jpeg(24, 16, 0, cat: true)),
            ("cat.1.jpg", try jpeg(20, 20, 1, cat: true)),
            ("cat.10.jpg", try jpeg(16, 24, 2, cat: true)),
            ("cat.2.jpg", try JPEG.encode(photo(width: 24, height: 16, seed: 3, cat: true), quality: 90, progressive: true)),
            ("dog.0.jpg", try jpeg(24, 16, 4, cat: false)),
            ("dog.1.jpg", try JPEG.encode(photo(width: 24, height: 16, seed: 5, cat: false).grayscale(), quality: 90)),
            ("dog.2.png", try PNG.encode(photo(width: 18, height: 14, seed: 6, cat: false))),
            ("dog.3.jpg", try PNG.encode(photo(width: 24, height: 16, seed: 7, cat: false))),
            ("dog.4.jpg", Array(truncated.prefix(truncated.count * 2 / 3))),
            ("notes.txt", Array("downloaded from kaggle\n".utf8)),
            (".DS_Store", [0, 0, 0, 1]),
            (".hidden.jpg", try jpeg(8, 8, 8, cat: true)),
        ]
    }

    /// One folder per class, with a nested folder, a PNG, an HTML page saved as `.jpg`, and a
    /// README outside the class folders.
    static func byClassFiles() throws -> [(String, [UInt8])] {
        [
            ("README.txt", Array("class per folder\n".utf8)),
            ("cat/a.jpg", try jpeg(16, 16, 20, cat: true)),
            ("cat/b.png", try PNG.encode(photo(width: 16, height: 16, seed: 21, cat: true))),
            ("cat/nested/c.jpg", try jpeg(16, 16, 22, cat: true)),
            ("dog/broken.jpg", Array("<html><body>403 Forbidden</body></html>\n".utf8)),
            ("dog/x.jpg", try jpeg(16, 16, 23, cat: false)),
            ("dog/y.jpg", try jpeg(16, 16, 24, cat: false)),
        ]
    }
}
