import Foundation
import Testing
import TestSupport

/// `dataprep model summary` run as a user would.
@Suite struct ModelCommandTests {
    @Test func presetSummaryPrintsKerasTable() throws {
        let result = try CommandRunner.run(["model", "summary", "fashion-alexnet"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("conv2d (Conv2D)"))
        #expect(result.stdout.contains("(None, 28, 28, 32)"))
        #expect(result.stdout.contains("Total params: 331,274"))
        #expect(result.stdout.contains("Non-trainable params: 0"))
    }

    @Test func specTextWithInputAndJSON() throws {
        let result = try CommandRunner.run(["model", "summary", "conv 32 3 same relu, maxpool 2, dropout 0.25, flatten, dense 10 softmax",
                                            "--input", "28x28x1", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["totalParameters"] as? Int == 320 + 14 * 14 * 32 * 10 + 10)
        #expect((json["layers"] as? [Any])?.count == 5)
    }

    @Test func badSpecsAreUsageErrorsAndMisfitsAreErrors() throws {
        #expect(try CommandRunner.run(["model", "summary", "conv 32"]).status == 64)
        #expect(try CommandRunner.run(["model", "summary", "conv 4 3, flatten, dense 2 softmax"]).status == 64)  // no --input
        let misfit = try CommandRunner.run(["model", "summary", "conv 4 5", "--input", "3x3x1"])
        #expect(misfit.status == 1)
        #expect(misfit.stderr.contains("does not fit"))
    }
}
