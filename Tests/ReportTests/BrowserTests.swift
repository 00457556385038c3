import DataPrep
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

    @Test func comparisonReportOpensWithItsOverlayCharts() throws {
        guard let browser = HeadlessChromium.find() else { return }
        let dir = ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = ReportFixtures.comparison()
        try report.write(to: dir)
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        let sizes = try report.renderCharts().map { "\($0.width)x\($0.height)" }.joined(separator: ",")
        let (probe, dom) = try HeadlessChromium.probe(html: html, browser: browser)
        #expect(probe == "images=2 decoded=2 sizes=\(sizes) tables=1", "\(dom.prefix(400))")
        #expect(dom.contains("id=\"ranking\"") && dom.contains("&lt;b&gt;&amp;'run\""))
        // The written page itself, as drawn: not blank, and both charts painted (their series
        // colours are nowhere else on the page).
        let shot = try #require(try HeadlessChromium.screenshot(of: dir + "/report.html", browser: browser, width: 1100, height: 1800))
        func count(_ color: Color) -> Int {
            var n = 0
            for i in stride(from: 0, to: shot.pixels.count, by: shot.channels) {
                if abs(Int(shot.pixels[i]) - Int(color.r)) <= 2 && abs(Int(shot.pixels[i + 1]) - Int(color.g)) <= 2
                    && abs(Int(shot.pixels[i + 2]) - Int(color.b)) <= 2 { n += 1 }
            }
            return n
        }
        let white = count(.white), total = shot.width * shot.height
        #expect(shot.width == 1100 && white < total * 97 / 100 && white > total / 2, "white \(white) of \(total)")
        for color in Palette.tab10.prefix(2) { #expect(count(color) > 400, "\(color) painted") }
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
