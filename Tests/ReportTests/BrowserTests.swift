import Foundation
import Testing
@testable import Report

/// The reports opened in a real browser (Debian's chromium, headless): the page loads, every
/// embedded PNG decodes at the size the chart was drawn, and the tables are in the DOM.
/// Skips with a printed reason where chromium is absent.
@Suite(.serialized) struct BrowserTests {
    @Test func evaluationReportLoadsWithItsImageAndTables() throws {
        guard let browser = HeadlessChromium.find() else { return }
        let report = ReportFixtures.evaluation()
        let chart = report.confusionChart
        let html = report.html(confusionPNG: try chart.pngData(), confusionSize: (chart.width, chart.height))
        let (probe, dom) = try HeadlessChromium.probe(html: html, browser: browser)
        #expect(probe == "images=1 decoded=1 sizes=\(chart.width)x\(chart.height) tables=2", "\(dom.prefix(400))")
        #expect(dom.contains("id=\"classification-report\"") && dom.contains("weighted avg"))
        // The escaped class name came back as text, not as a <b> element.
        #expect(dom.contains("&lt;b&gt;&amp;'dog\"") && !dom.contains("<b>&amp;"))
    }

    @Test func trainingReportLoadsWithItsCurves() throws {
        guard let browser = HeadlessChromium.find() else { return }
        let report = ReportFixtures.training()
        let curves = report.curves
        let html = report.html(curvesPNG: try curves.pngData(), curvesSize: (curves.width, curves.height))
        let (probe, dom) = try HeadlessChromium.probe(html: html, browser: browser)
        #expect(probe == "images=1 decoded=1 sizes=\(curves.width)x\(curves.height) tables=1", "\(dom.prefix(400))")
        #expect(dom.contains("id=\"history\""))
    }

    @Test func theProbeNoticesABrokenImage() throws {
        // Negative control: a truncated PNG must not count as decoded, or the checks above prove nothing.
        guard let browser = HeadlessChromium.find() else { return }
        var page = HTMLPage(title: "broken")
        let png = try Canvas(width: 8, height: 8).pngData()
        page.image(png: Array(png.prefix(40)), width: 8, height: 8, alt: "truncated")
        let (probe, _) = try HeadlessChromium.probe(html: page.html, browser: browser)
        #expect(probe == "images=1 decoded=0 sizes= tables=0")
    }
}
