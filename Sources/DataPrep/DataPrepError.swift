/// Every way reading or writing a dataset can fail.
///
/// Each case names the file (for archive members `archive.tar.gz:member/path`), and where it
/// helps the byte offset or record index, what was expected and what was found, so a user can
/// find the bad byte with `xxd` without reading our code. Library code throws these; only the
/// `dataprep` tool decides exit codes.
public enum DataPrepError: Error, Equatable, Sendable {
    /// The file could not be opened, read or written (the OS's reason is quoted).
    case io(path: String, reason: String)
    /// The file exists but holds zero bytes.
    case emptyFile(path: String)
    /// The first bytes are not the signature of the expected format.
    case wrongMagic(path: String, expected: String, found: String, hint: String? = nil)
    /// The file ends at `found` bytes but the header promises `expected` bytes.
    case truncated(path: String, expected: Int, found: Int)
    /// A header field holds an impossible or unsupported value.
    case badHeader(path: String, offset: Int, field: String, expected: String, found: String)
    /// The payload size does not match what the format allows (e.g. not a whole number of records).
    case sizeMismatch(path: String, expected: String, found: Int, hint: String? = nil)
    /// A label byte lies outside the classes the format defines.
    case labelOutOfRange(path: String, record: Int, offset: Int, label: Int, classCount: Int)
    /// A codec (zlib, libjpeg, libpng) rejected the data; `reason` is the library's own message.
    case corrupt(path: String, offset: Int?, reason: String)
    /// The data is well-formed but uses a feature this tool does not read.
    case unsupported(path: String, reason: String)
    /// An archive member would escape the output folder or is not a plain file.
    case unsafeArchiveEntry(archive: String, entry: String, reason: String)
    /// A safety limit (size, expansion ratio, count) was hit before anything was allocated.
    case limitExceeded(path: String, what: String, limit: Int, found: Int)
    /// The path is readable but is not any dataset layout this tool recognises.
    case notADataset(path: String, reason: String)
    /// Two inputs that must agree do not (class names vs labels, images vs labels, ...).
    case inconsistent(path: String, reason: String)
    /// The command would need more memory than the machine or container allows
    /// (`MemoryBudget`); checked before decoding, instead of aborting half way.
    case insufficientMemory(path: String, needed: Int, available: Int, detail: String, hint: String)
    /// The folder's file system has less free space than a command's temporary files need
    /// (`SpillFile.checkSpace`); checked before decoding, instead of failing with ENOSPC half way.
    case insufficientDisk(path: String, needed: Int, available: Int, detail: String)
}

extension DataPrepError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .io(path, reason):
            return "\(path): cannot access: \(reason)"
        case let .emptyFile(path):
            return "\(path): file is empty (0 bytes)"
        case let .wrongMagic(path, expected, found, hint):
            return "\(path): wrong magic at offset 0: expected \(expected), found \(found)" + suffix(hint)
        case let .truncated(path, expected, found):
            return "\(path): truncated: header promises \(expected) bytes, file has \(found) (ends at offset \(found))"
        case let .badHeader(path, offset, field, expected, found):
            return "\(path): bad header at offset \(offset): \(field) should be \(expected), found \(found)"
        case let .sizeMismatch(path, expected, found, hint):
            return "\(path): size \(found) bytes does not fit the format: expected \(expected)" + suffix(hint)
        case let .labelOutOfRange(path, record, offset, label, classCount):
            return "\(path): record \(record) (offset \(offset)): label \(label) is outside 0..<\(classCount)"
        case let .corrupt(path, offset, reason):
            let at = offset.map { " at offset \($0)" } ?? ""
            return "\(path): corrupt data\(at): \(reason)"
        case let .unsupported(path, reason):
            return "\(path): unsupported: \(reason)"
        case let .unsafeArchiveEntry(archive, entry, reason):
            return "\(archive): refusing entry '\(entry)': \(reason)"
        case let .limitExceeded(path, what, limit, found):
            return "\(path): \(what) \(found) exceeds the limit of \(limit)"
        case let .notADataset(path, reason):
            return "\(path): not a dataset: \(reason)"
        case let .inconsistent(path, reason):
            return "\(path): \(reason)"
        case let .insufficientMemory(path, needed, available, detail, hint):
            return "\(path): needs about \(MemoryBudget.text(needed)) of memory but only \(MemoryBudget.text(available)) is available "
                + "(\(detail)); \(hint)"
        case let .insufficientDisk(path, needed, available, detail):
            return "\(path): needs about \(MemoryBudget.text(needed)) of free disk space but only \(MemoryBudget.text(available)) is free "
                + "(\(detail)); free space there or choose a smaller --resize or --grayscale"
        }
    }

    /// The description without the leading `path: `, for lists that already show the path.
    public var reason: String {
        let text = description
        let prefix = path + ": "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }

    /// The file the error is about, for grouping skipped files in reports.
    public var path: String {
        switch self {
        case let .io(p, _), let .emptyFile(p), let .wrongMagic(p, _, _, _), let .truncated(p, _, _),
             let .badHeader(p, _, _, _, _), let .sizeMismatch(p, _, _, _), let .labelOutOfRange(p, _, _, _, _),
             let .corrupt(p, _, _), let .unsupported(p, _), let .unsafeArchiveEntry(p, _, _),
             let .limitExceeded(p, _, _, _), let .notADataset(p, _), let .inconsistent(p, _),
             let .insufficientMemory(p, _, _, _, _), let .insufficientDisk(p, _, _, _):
            return p
        }
    }
}

private func suffix(_ hint: String?) -> String { hint.map { " (\($0))" } ?? "" }
