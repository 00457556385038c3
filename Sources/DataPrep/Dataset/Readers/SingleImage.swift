/// One JPEG or PNG: `info` describes it (size, codec, colour space, EXIF orientation), but a
/// single image is not a dataset.
public struct SingleImage: DescribedFile {
    public let path: String

    public init(path: String) { self.path = path }

    public var formatName: String { "image" }

    public var refusalReason: String { "a single image is not a dataset: pass the folder or archive that holds it" }

    public func report(_ inspector: DatasetInspector) throws -> DatasetReport {
        let bytes = try FileIO.read(path)
        let probe = try ImageFile.probe(bytes, name: path)
        var details: [String: String] = [:]
        if let info = try? JPEG.readInfo(bytes, name: path) {
            details = ["codec": "jpeg", "colorSpace": "\(info.colorSpace)", "progressive": "\(info.isProgressive)",
                       "exifOrientation": "\(info.orientation)"]
        } else {
            details = ["codec": "png"]
        }
        return DatasetReport(path: path, format: formatName, dtype: "uint8", classNames: [],
                             splits: [SplitReport(name: "all", count: 1, shape: [probe.height, probe.width, probe.channels], histogram: [])],
                             details: details)
    }
}
