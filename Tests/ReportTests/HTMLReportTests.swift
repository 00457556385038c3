import DataPrep
import Foundation
import Testing
@testable import Train
@testable import Report

/// The HTML pages: escaped, self-contained, with the images and tables they promise.
@Suite struct HTMLReportTests {
    @Test func escapingCoversEveryMarkupCharacter() {
        #expect(HTMLPage.escape(#"<script>alert("x" & 'y')</script>"#)
                == "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;")
        #expect(HTMLPage.escape("café ✓") == "café ✓")
    }

    /// Every `src`/`href` must be a data URI, and nothing may name a remote scheme.
    static func expectSelfContained(_ html: String) {
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("//cdn"))
        #expect(!html.contains("href="))
        let sources = html.components(separatedBy: "src=\"").dropFirst()
        #expect(!sources.isEmpty)
        #expect(sources.allSatisfy { $0.hasPrefix("data:image/png;base64,") })
        #expect(html.contains("default-src 'none'"))   // the CSP forbids loads the checks above might miss
    }

    /// The PNG bytes embedded in the first `<img>`.
    static func embeddedPNG(_ html: String) throws -> [UInt8] {
        let start = try #require(html.range(of: "data:image/png;base64,"))
        let rest = html[start.upperBound...]
        let end = try #require(rest.firstIndex(of: "\""))
        return try [UInt8](#require(Data(base64Encoded: String(rest[..<end]))))
    }

    @Test func evaluationPageHasTheTablesTheImageAndTheFootnote() throws {
        let report = ReportFixtures.evaluation()
        let chart = report.confusionChart
        let png = try chart.pngData()
        let html = report.html(confusionPNG: png, confusionSize: (chart.width, chart.height))
        Self.expectSelfContained(html)
        #expect(try Self.embeddedPNG(html) == png)
        #expect(html.contains("<table id=\"classification-report\">"))
        #expect(html.contains("<table id=\"confusion-matrix\">"))
        // The hostile class name appears only escaped.
        #expect(html.contains("&lt;b&gt;&amp;&#39;dog&quot;"))
        #expect(!html.contains("<b>&"))
        // Class C: never predicted and without samples → both footnotes, scikit-learn's wording.
        #expect(html.contains("never predicted (C)") && html.contains("without samples (C)") && html.contains("zero_division=0"))
        // A (2 samples: 1 hit) and the dog class (3 samples: 2 hits): accuracy 3/5.
        #expect(html.contains("<dd>0.6000</dd>"))
        #expect(html.contains("<td>A</td><td class=\"num\">0.5000</td><td class=\"num\">0.5000</td><td class=\"num\">0.5000</td><td class=\"num\">2</td>"))
    }

    @Test func evaluationWritesItsFourFiles() throws {
        let dir = ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ReportFixtures.evaluation().write(to: dir + "/eval")
        for file in EvaluationReport.files { #expect(FileIO.exists(dir + "/eval/" + file), "\(file)") }
        let csv = try String(contentsOfFile: dir + "/eval/predictions.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 6)
        #expect(csv[0] == "index,source,true,predicted,p_A,\"p_<b>&'dog\"\"\",p_C")
        #expect(csv[2] == "1,\"b,1.png\",A,\"<b>&'dog\"\"\",0.4,0.6,0.0")
        let metrics = try JSONDecoder().decode(EvaluationMetrics.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/eval/metrics.json")))
        #expect(metrics.confusionMatrix == [[1, 1, 0], [1, 2, 0], [0, 0, 0]])
        #expect(metrics.report.undefinedRecall == ["C"])
        let png = try PNG.decode(contentsOf: dir + "/eval/confusion.png")
        #expect(png.channels == 3 && png.width > 3 * 64)
    }

    @Test func trainingPageHasCurvesHistoryAndConfig() throws {
        let dir = ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileIO.makeDirectories(dir)
        let report = ReportFixtures.training()
        try report.write(to: dir)
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        Self.expectSelfContained(html)
        let curves = try FileIO.read(dir + "/curves.png")
        #expect(try Self.embeddedPNG(html) == curves)
        #expect(html.contains("<table id=\"history\">"))
        #expect(html.components(separatedBy: "<tr>").count - 1 == 3)   // header + 2 epochs
        #expect(html.contains("<td class=\"num\">0.6500</td>"))       // epoch 2's validation accuracy
        #expect(html.contains("/runs/&lt;demo&gt;") && html.contains("&lt;3 outputs&gt;"))
        let decoded = try PNG.decode(contentsOf: dir + "/curves.png")
        #expect(decoded.width == 2 * TrainingCurves.panelWidth && decoded.height == TrainingCurves.panelHeight)
    }
}
