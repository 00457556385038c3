/// POSIX pax extended headers ('x' members): `"<length> <key>=<value>\n"` records that
/// override the next header's fields. We use `path`, `linkpath` and `size`; the others (times,
/// owners, ACLs) do not affect reading bytes.
enum TarPax {
    /// The records of one extended header.
    /// - Throws: `.corrupt` naming the member and record when a length or layout is wrong.
    static func parse(_ data: [UInt8], context: TarHeader.Context) throws -> [String: String] {
        var records: [String: String] = [:]
        var start = 0
        var index = 0
        func malformed(_ why: String) -> DataPrepError {
            .corrupt(path: context.archive, offset: context.offset,
                     reason: "malformed pax extended header at member \(context.member), record \(index): \(why)")
        }
        while start < data.count {
            if data[start] == 0 { break }  // NUL padding after the last record
            guard let space = data[start...].firstIndex(of: UInt8(ascii: " ")),
                  space > start, space - start <= 20,
                  let length = Int(String(decoding: data[start..<space], as: UTF8.self)),
                  length > space - start + 2, start + length <= data.count
            else { throw malformed("bad record length") }
            let end = start + length
            guard data[end - 1] == UInt8(ascii: "\n") else { throw malformed("record does not end with a newline") }
            let body = data[(space + 1)..<(end - 1)]
            guard let equals = body.firstIndex(of: UInt8(ascii: "=")) else { throw malformed("record has no '='") }
            let key = String(decoding: body[body.startIndex..<equals], as: UTF8.self)
            records[key] = ArchiveText.decode(Array(body[(equals + 1)...]), fallback: .latin1)
            start = end
            index += 1
        }
        return records
    }

    /// One record, its length prefix counting its own digits.
    static func record(_ key: String, _ value: String) -> [UInt8] {
        let body = Array(" \(key)=\(value)\n".utf8)
        var length = body.count + 1
        while String(length).utf8.count + body.count != length { length += 1 }
        return Array(String(length).utf8) + body
    }
}
