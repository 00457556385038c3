import DataPrep
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
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

    /// Charts are inline SVG; every `src`/`href` must be a data URI, and nothing may name a
    /// remote scheme (the SVG namespace is a name, not a load).
    static func expectSelfContained(_ html: String) {
        let loads = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!loads.contains("http://") && !loads.contains("https://") && !loads.contains("//cdn"))
        let references = loads.components(separatedBy: "src=\"").dropFirst() + loads.components(separatedBy: "href=\"").dropFirst()
        #expect(references.allSatisfy { $0.hasPrefix("data:image/png;base64,") })
        #expect(html.contains("<figure class=\"chart\"") && html.contains("<svg "))
        #expect(html.contains("default-src 'none'"))   // the CSP forbids loads the checks above might miss
    }

    /// The SVG inlined in the `<figure>` with `id`.
    static func inlineSVG(_ html: String, id: String) throws -> String {
        let start = try #require(html.range(of: "<figure class=\"chart\" id=\"\(id)\">"))
        let rest = html[start.upperBound...]
        let end = try #require(rest.range(of: "</svg>\n</figure>"))
        return String(rest[..<end.lowerBound]) + "</svg>\n"
    }

    /// The `<text>` elements of an SVG document, in order (parsed as XML: it must be well formed).
    static func svgTexts(_ svg: String) throws -> [String] {
        let document = try XMLDocument(xmlString: svg)
        return try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
    }

    @Test func evaluationPageHasTheTablesTheImageAndTheFootnote() throws {
        let report = ReportFixtures.evaluation()
        let chart = try report.confusion()
        let html = report.html(confusion: chart)
        Self.expectSelfContained(html)
        let svg = try Self.inlineSVG(html, id: "confusion")
        #expect(svg == chart.svg)
        // The chart's text: title, counts, class labels (escaped in the markup, whole in the XML), axis titles.
        let texts = try Self.svgTexts(svg)
        #expect(texts.first == "Confusion matrix, test (n=5)")
        #expect(texts.filter { $0 == "<b>&'dog\"" }.count == 2 && texts.contains("True class") && texts.contains("Predicted class"))
        #expect(svg.contains("&lt;b&gt;&amp;&#39;dog&quot;"))
        // Cells as exact rectangles: A's row is 1 of 2 right (share 0.5).
        #expect(svg.contains("fill=\"\(Drawing.hex(Blues.color(0.5)))\""))
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

    @Test func evaluationWritesItsFiles() throws {
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
        // The SVG beside it is the one in the page.
        let svg = try String(contentsOfFile: dir + "/eval/confusion.svg", encoding: .utf8)
        let html = try String(contentsOfFile: dir + "/eval/report.html", encoding: .utf8)
        #expect(try Self.inlineSVG(html, id: "confusion") == svg)
        #expect(svg.contains("width=\"\(png.width)\" height=\"\(png.height)\""))
    }

    @Test func trainingPageHasCurvesHistoryAndConfig() throws {
        let dir = ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileIO.makeDirectories(dir)
        let report = ReportFixtures.training()
        try report.write(to: dir)
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        Self.expectSelfContained(html)
        let svg = try String(contentsOfFile: dir + "/curves.svg", encoding: .utf8)
        #expect(try Self.inlineSVG(html, id: "curves") == svg)
        let texts = try Self.svgTexts(svg)
        #expect(texts.prefix(1) == ["Loss"] && texts.contains("Accuracy") && texts.filter { $0 == "Epoch" }.count == 2)
        #expect(texts.filter { $0 == "validation" }.count == 2)
        // One path per series per panel and one per legend swatch, in matplotlib's tab:blue and tab:orange.
        #expect(svg.components(separatedBy: "<path d=\"M").count - 1 == 8)
        #expect(svg.components(separatedBy: "stroke=\"#1f77b4\"").count - 1 == 2 + 2)   // two curves, two legend swatches
        #expect(svg.components(separatedBy: "stroke=\"#ff7f0e\"").count - 1 == 2 + 2)
        #expect(html.contains("<table id=\"history\">"))
        #expect(html.components(separatedBy: "<tr>").count - 1 == 3)   // header + 2 epochs
        #expect(html.contains("<td class=\"num\">0.6500</td>"))       // epoch 2's validation accuracy
        #expect(html.contains("/runs/&lt;demo&gt;") && html.contains("&lt;3 outputs&gt;"))
        let decoded = try PNG.decode(contentsOf: dir + "/curves.png")
        #expect(decoded.width == 2 * TrainingCurves.panelWidth && decoded.height == TrainingCurves.panelHeight)
    }
}
