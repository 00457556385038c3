import DataPrep

/// A minimal, deterministic zip writer for fixtures: stored and deflate members, directories,
/// symlinks, optional data descriptors and ZIP64 records (to exercise those reader paths).
///
/// Deterministic: one fixed DOS timestamp (1980-01-01 00:00, the format's epoch), Unix
/// "version made by" with fixed modes, UTF-8 names (flag bit 11), no extra fields unless ZIP64
/// is forced. Sizes and offsets must stay under 4 GiB unless `forceZip64` is set.
struct ZipWriter {
    /// Write every size and offset through ZIP64 extra fields and end records, as `zip -fz` does.
    var forceZip64 = false
    /// Put CRC and sizes in a data descriptor after each member (flag bit 3), as streaming
    /// writers do; the local header then holds zeros.
    var dataDescriptors = false

    private var body: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0

    private static let dosTime: UInt16 = 0
    private static let dosDate: UInt16 = 1 << 5 | 1  // 1980-01-01

    init() {}

    /// Adds a file. With `compress`, it is deflated unless that would not make it smaller (JPEGs,
    /// PNGs), in which case it is stored, as the zip tool does.
    mutating func add(path: String, bytes: [UInt8], compress: Bool = true) throws {
        var method: UInt16 = 0
        var data = bytes
        if compress {
            let deflated = try Deflate.raw(bytes)
            if deflated.count < bytes.count {
                method = 8
                data = deflated
            }
        }
        try checkFits(path: path, size: bytes.count)
        appendMember(path: path, data: data, size: bytes.count, crc: crc32(bytes), method: method, mode: 0o100644)
    }

    /// Adds a directory entry (`path/`).
    mutating func addDirectory(path: String) {
        let name = path.hasSuffix("/") ? path : path + "/"
        precondition(forceZip64 || body.count < 0xffff_ffff, "zip offset \(body.count) of '\(path)' needs forceZip64")
        appendMember(path: name, data: [], size: 0, crc: 0, method: 0, mode: 0o040755)
    }

    /// Adds a symbolic link (Unix mode 0o120777) whose data is the target.
    mutating func addSymlink(path: String, target: String) throws {
        let bytes = Array(target.utf8)
        try checkFits(path: path, size: bytes.count)
        appendMember(path: path, data: bytes, size: bytes.count, crc: crc32(bytes), method: 0, mode: 0o120777)
    }

    /// The archive: members, central directory, end record(s).
    func finish() -> [UInt8] {
        var out = body
        let directoryOffset = out.count
        out += central
        let directorySize = central.count
        if forceZip64 {
            let recordOffset = out.count
            out += le32(0x0606_4b50) + le64(44) + le16(0x031e) + le16(45) + le32(0) + le32(0)
            out += le64(count) + le64(count) + le64(directorySize) + le64(directoryOffset)
            out += le32(0x0706_4b50) + le32(0) + le64(recordOffset) + le32(1)
        }
        let small = !forceZip64
        out += le32(0x0605_4b50) + le16(0) + le16(0)
        out += le16(small ? count : 0xffff) + le16(small ? count : 0xffff)
        out += le32(small ? directorySize : 0xffff_ffff) + le32(small ? directoryOffset : 0xffff_ffff) + le16(0)
        return out
    }

    /// Without ZIP64, sizes and offsets must fit 32 bits (0xffffffff itself means "see ZIP64").
    private func checkFits(path: String, size: Int) throws {
        guard forceZip64 || max(size, body.count) < 0xffff_ffff else {
            throw DataPrepError.limitExceeded(path: path, what: "zip member size or offset without forceZip64",
                                              limit: 0xffff_fffe, found: max(size, body.count))
        }
    }

    private mutating func appendMember(path: String, data: [UInt8], size: Int, crc: UInt32, method: UInt16, mode: Int) {
        let name = Array(path.utf8)
        let offset = body.count
        let flags: UInt16 = 0x0800 | (dataDescriptors ? 8 : 0)
        let version: Int = forceZip64 ? 45 : 20

        // Local header: sizes here, or zeros (descriptor), or 0xffffffff plus a ZIP64 extra.
        var localExtra: [UInt8] = []
        var localSizes = le32(dataDescriptors ? 0 : data.count) + le32(dataDescriptors ? 0 : size)
        if forceZip64 {
            localExtra = le16(1) + le16(16) + le64(dataDescriptors ? 0 : size) + le64(dataDescriptors ? 0 : data.count)
            localSizes = le32(0xffff_ffff) + le32(0xffff_ffff)
        }
        body += le32(0x0403_4b50) + le16(version) + le16(Int(flags)) + le16(Int(method))
        body += le16(Int(Self.dosTime)) + le16(Int(Self.dosDate)) + le32(dataDescriptors ? 0 : Int(crc)) + localSizes
        body += le16(name.count) + le16(localExtra.count) + name + localExtra + data
        if dataDescriptors {
            body += le32(0x0807_4b50) + le32(Int(crc))
            body += forceZip64 ? le64(data.count) + le64(size) : le32(data.count) + le32(size)
        }

        var centralExtra: [UInt8] = []
        var centralSizes = le32(data.count) + le32(size)
        var centralOffset = le32(offset)
        if forceZip64 {
            centralExtra = le16(1) + le16(24) + le64(size) + le64(data.count) + le64(offset)
            centralSizes = le32(0xffff_ffff) + le32(0xffff_ffff)
            centralOffset = le32(0xffff_ffff)
        }
        let directoryAttribute = mode & 0o170000 == 0o040000 ? 0x10 : 0
        central += le32(0x0201_4b50) + le16(0x0300 | version) + le16(version) + le16(Int(flags)) + le16(Int(method))
        central += le16(Int(Self.dosTime)) + le16(Int(Self.dosDate)) + le32(Int(crc)) + centralSizes
        central += le16(name.count) + le16(centralExtra.count) + le16(0) + le16(0) + le16(0)
        central += le32(mode << 16 | directoryAttribute) + centralOffset + name + centralExtra
        count += 1
    }
}

private func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8 & 0xff)] }
private func le32(_ value: Int) -> [UInt8] { le16(value & 0xffff) + le16(value >> 16 & 0xffff) }
private func le32(_ value: UInt32) -> [UInt8] { le32(Int(value)) }
private func le64(_ value: Int) -> [UInt8] { le32(value & 0xffff_ffff) + le32(value >> 32 & 0xffff_ffff) }
