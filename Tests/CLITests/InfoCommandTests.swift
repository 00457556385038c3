import Foundation
import Testing
import TestSupport

/// `dataprep info` run as a user would, checking exit codes, text and JSON.
@Suite struct InfoCommandTests {
    @Test func mnistFolderPrintsSplitsAndHistogram() throws {
        let result = try CommandRunner.run(["info", "Fixtures/idx/mnist"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("format: idx-folder"))
        #expect(result.stdout.contains("train     20  28x28x1"))
        #expect(result.stdout.contains("test      10  28x28x1"))
    }

    @Test func jsonIsMachineReadable() throws {
        let result = try CommandRunner.run(["info", "--json", "Fixtures/cifar/cifar-100-binary.tar.gz", "Fixtures/collections/kaggle"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let reports = try #require(json["reports"] as? [[String: Any]])
        #expect(reports.count == 2)
        #expect(reports[0]["format"] as? String == "cifar-archive")
        let splits = try #require(reports[0]["splits"] as? [[String: Any]])
        #expect(splits.map { $0["count"] as? Int } == [15, 9])
        #expect((reports[0]["coarseClassNames"] as? [String])?.count == 20)
        let skipped = try #require(reports[1]["skipped"] as? [[String: Any]])
        #expect(skipped.count == 2)
        #expect((json["errors"] as? [Any])?.isEmpty == true)
    }

    @Test func undecodableFileExitsNonZeroNamingIt() throws {
        let result = try CommandRunner.run(["info", "Fixtures/idx/mnist", "Fixtures/idx/corrupt/lying-header.idx"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("lying-header.idx: truncated: header promises 47040016 bytes"))
        #expect(result.stdout.contains("idx-folder"))   // the good input is still reported
    }

    @Test func strictFailsOnAnUnreadableImageInAFolder() throws {
        #expect(try CommandRunner.run(["info", "Fixtures/collections/kaggle"]).status == 0)
        let strict = try CommandRunner.run(["info", "--strict", "Fixtures/collections/kaggle"])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("dog.4.jpg"))
    }

    @Test func helpExplainsOptionsAndBadUsageIsRejected() throws {
        let help = try CommandRunner.run(["info", "--help"])
        #expect(help.status == 0)
        for option in ["--json", "--threads", "--strict", "--no-progress"] { #expect(help.stdout.contains(option), "\(option)") }
        #expect(try CommandRunner.run(["info", "--threads", "0", "Fixtures/idx/mnist"]).status == 64)
        #expect(try CommandRunner.run(["info"]).status == 64)
    }
}
