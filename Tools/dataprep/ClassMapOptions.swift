import ArgumentParser
import DataPrep
import Foundation

/// `--map` / `--classes-from`: relabel and merge classes as the data is read (split,
/// merge-cifar, train, fine-tune, evaluate). The library's `ClassMap` does the work.
struct ClassMapOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Relabel classes: rules KEYS=NAME separated by ';', keys class names or label indices, e.g. \"0,1,2,3,4=lt5;5,6,7,8,9=ge5\". NAME '-' drops those classes; '*=NAME' catches every unmapped class ('*=-' drops them). Unmapped classes are an error.",
        valueName: "RULES"))
    var map: String?

    @Option(name: .long, help: ArgumentHelp("Read the --map rules from FILE: one or more rules per line, '#' starts a comment.",
                                            valueName: "FILE"), completion: .file())
    var classesFrom: String?

    func validate() throws {
        if map != nil && classesFrom != nil { throw ValidationError("give --map or --classes-from, not both") }
        if let map {
            do { _ = try ClassMap(parsing: map) } catch { throw ValidationError("--map: \(error)") }
        }
    }

    /// The map given, or nil. A `--classes-from` file that cannot be read or parsed is a
    /// `DataPrepError` / `ClassMapError` for the caller to report (exit 1).
    func classMap() throws -> ClassMap? {
        if let map { return try ClassMap(parsing: map) }
        guard let classesFrom else { return nil }
        return try ClassMap(file: String(decoding: FileIO.read(classesFrom), as: UTF8.self))
    }
}
