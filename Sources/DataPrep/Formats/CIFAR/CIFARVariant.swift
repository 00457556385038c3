/// The two CIFAR binary layouts (Krizhevsky's page; `../shared/docs/FORMATS.md` §b).
public enum CIFARVariant: String, Sendable, Codable, CaseIterable {
    /// `<1 label byte 0-9><3072 pixel bytes>` = 3073-byte records.
    case cifar10 = "cifar-10"
    /// `<1 coarse byte 0-19><1 fine byte 0-99><3072 pixel bytes>` = 3074-byte records.
    case cifar100 = "cifar-100"

    public static let side = 32
    public static let pixelBytes = 3 * 32 * 32

    /// Label bytes before the pixels of each record.
    public var labelBytes: Int { self == .cifar10 ? 1 : 2 }
    public var recordSize: Int { labelBytes + Self.pixelBytes }

    /// Classes of the (fine) label.
    public var classCount: Int { self == .cifar10 ? 10 : 100 }

    /// The official training and test batch file names, in the order they are concatenated.
    public var trainFiles: [String] {
        self == .cifar10 ? (1...5).map { "data_batch_\($0).bin" } : ["train.bin"]
    }
    public var testFiles: [String] { self == .cifar10 ? ["test_batch.bin"] : ["test.bin"] }

    /// The official top folder inside the `.tar.gz`.
    public var archiveFolder: String { self == .cifar10 ? "cifar-10-batches-bin" : "cifar-100-binary" }
}
