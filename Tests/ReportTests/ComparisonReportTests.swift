import DataPrep
import Foundation
import Testing
@testable import Report

/// `report.html` and `curves-KEY.png` comparing runs: escaped, ranked, charts embedded and
/// written beside the page.
@Suite struct ComparisonReportTests {
    @Test func writesTheChartsAndThePage() throws {
        let dir = ReportFixtures.temporaryDirectory() + "/compare"
        defer { try? FileManager.default.removeItem(atPath: StagedDirectory.parent(of: dir)) }
        let report = ReportFixtures.comparison()
        try report.write(to: dir)
        #expect(try FileIO.listDirectory(dir) == ["curves-val_accuracy.png", "curves-val_accuracy.svg", "curves-val_loss.png", "curves-val_loss.svg", "report.html"])
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        HTMLReportTests.expectSelfContained(html)
        // The ranking metric's chart comes first; each inline SVG is the file beside the page.
        #expect(report.chartKeys == ["val_loss", "val_accuracy"])
        let loss = try #require(html.range(of: "id=\"curves-val_loss\"")), accuracy = try #require(html.range(of: "id=\"curves-val_accuracy\""))
        #expect(loss.lowerBound < accuracy.lowerBound)
        let lossSVG = try HTMLReportTests.inlineSVG(html, id: "curves-val_loss")
        #expect(lossSVG == (try String(contentsOfFile: dir + "/curves-val_loss.svg", encoding: .utf8)))
        #expect(try HTMLReportTests.inlineSVG(html, id: "curves-val_accuracy") == (try String(contentsOfFile: dir + "/curves-val_accuracy.svg", encoding: .utf8)))
        #expect(lossSVG.contains("<title>Validation loss per epoch, one line per run</title>"))
        #expect(html.contains("Also written beside this page: curves-val_loss.png/.svg, curves-val_accuracy.png/.svg."))
        // The legend lists every run by name (the hostile one whole in the XML, escaped in the markup).
        let texts = try HTMLReportTests.svgTexts(lossSVG)
        #expect(texts.first == "Validation loss" && texts.contains("val_loss") && texts.contains("Epoch"))
        #expect(texts.suffix(3) == ["l2=0.001,dropout=0.3", "<b>&'run\"", "baseline (no data)"])
        // One path per run with data, one swatch per legend entry.
        #expect(lossSVG.components(separatedBy: "<path d=\"M").count - 1 == 2 + 3)
        // The table: rows in the caller's order, metric column highlighted, numbers right-aligned.
        #expect(html.contains("<caption>3 runs, ranked by val_loss (highlighted)</caption>"))
        #expect(html.contains("<th>run</th><th class=\"num\">params</th><th class=\"num\">best epoch</th><th class=\"num hi\">val_loss</th><th class=\"num\">val_accuracy</th>"))
        let rows = ["<tr><td>l2=0.001,dropout=0.3</td><td class=\"num\">1234</td><td class=\"num\">4</td><td class=\"num hi\">0.4100</td><td class=\"num\">0.8800</td></tr>",
                    "<tr><td>&lt;b&gt;&amp;&#39;run&quot;</td>",
                    "<tr><td>baseline</td><td class=\"num\">1234</td><td class=\"num\">2</td><td class=\"num hi\">–</td>"]
        let positions = try rows.map { try #require(html.range(of: $0), "row \($0)").lowerBound }
        #expect(positions == positions.sorted())
        // Every user string escaped: run names in the table, the settings headings and values.
        #expect(!html.contains("<b>&") && html.contains("<h3>&lt;b&gt;&amp;&#39;run&quot;</h3>"))
        #expect(html.contains("<dt>model</dt><dd>dense 3 softmax &lt;x&gt;</dd>"))
        #expect(html.contains("<h3>l2=0.001,dropout=0.3</h3>\n<dl><dt>l2</dt><dd>0.001</dd><dt>dropout</dt><dd>0.3</dd></dl>"))
        #expect(html.contains("<h3>baseline</h3>\n<p class=\"note\">No settings recorded.</p>"))
        // The PNGs: the overlay at its fitted size.
        let png = try PNG.decode(contentsOf: dir + "/curves-val_loss.png")
        let size = report.chart(for: "val_loss").fittedSize(plotWidth: LineChart.overlayPlotSize.width, plotHeight: LineChart.overlayPlotSize.height)
        #expect(png.width == size.width && png.height == size.height && png.channels == 3)
    }

    @Test func chartsAreTitledAndScaledByWhatTheyMeasure() {
        let report = ReportFixtures.comparison()
        let loss = report.chart(for: "val_loss"), accuracy = report.chart(for: "val_accuracy")
        #expect(loss.title == "Validation loss" && loss.yLabel == "val_loss" && loss.xLabel == "Epoch")
        #expect(accuracy.title == "Validation accuracy" && accuracy.yLimits == 0...1)
        #expect(loss.series.map(\.name) == ["l2=0.001,dropout=0.3", "<b>&'run\"", "baseline"])
        #expect(ComparisonReport.describe("loss").title == "Training loss" && ComparisonReport.describe("f1").title == "f1")
        #expect(ComparisonReport.describe("f1").yLimits == nil)
    }

    @Test func aKeyThatIsNoFileNameIsRefusedBeforeWriting() throws {
        let dir = ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var report = ReportFixtures.comparison()
        report.curves["../escape"] = []
        #expect(throws: DataPrepError.self) { try report.write(to: dir) }
        #expect(!FileIO.exists(dir))
    }
}
