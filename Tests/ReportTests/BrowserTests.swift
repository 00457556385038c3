import DataPrep
import Foundation
import Testing
@testable import Report

/// The reports opened in a real browser (Debian's chromium, headless): the page loads, every
/// inline SVG chart lays out at the size it was drawn, and the tables are in the DOM.
/// Skips with a printed reason where chromium is absent.
@Suite(.serialized) struct BrowserTests {
    @Test func evaluationReportLoadsWithItsImageAndTables() throws {
        guard let browser = HeadlessChromium.find() else { return }
        let report = ReportFixtures.evaluation()
        let chart = try report.confusion()
        let html = report.html(confusion: chart)
        let (probe, dom) = try HeadlessChromium.probe(html: html, browser: browser)
        #expect(probe == "images=0 decoded=0 sizes= svgs=\(chart.width)x\(chart.height) texts=\(try HTMLReportTests.svgTexts(chart.svg).count) tables=2", "\(dom.prefix(400))")
        #expect(dom.contains("id=\"classification-report\"") && dom.contains("weighted avg"))
        // The escaped class name came back as text, not as a <b> element.
        #expect(dom.contains("&lt;b&gt;&amp;'dog\"") && !dom.contains("<b>&amp;"))
    }

    @Test func trainingReportLoadsWithItsCurves() throws {
        guard let browser = HeadlessChromium.find() else { return }
        let report = ReportFixtures.training()
        let curves = try report.curves()
        let html = report.html(curves: curves)
        let (probe, dom) = try HeadlessChromium.probe(html: html, browser: browser)
        #expect(probe == "images=0 decoded=0 sizes= svgs=\(curves.width)x\(curves.height) texts=\(try HTMLReportTests.svgTexts(curves.svg).count) tables=1", "\(dom.prefix(400))")
        #expect(dom.contains("id=\"history\""))
    }

    @Test func comparisonReportOpensWithItsOverlayCharts() throws {
        guard let browser = HeadlessChromium.find() else { return }
        let dir = ReportFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let report = ReportFixtures.comparison()
        try report.write(to: dir)
        let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        let charts = try report.renderCharts().map(\.chart)
        let sizes = charts.map { "\($0.width)x\($0.height)" }.joined(separator: ",")
        let texts = try charts.map { try HTMLReportTests.svgTexts($0.svg).count }.reduce(0, +)
        let (probe, dom) = try HeadlessChromium.probe(html: html, browser: browser)
        #expect(probe == "images=0 decoded=0 sizes= svgs=\(sizes) texts=\(texts) tables=1", "\(dom.prefix(400))")
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
        #expect(probe == "images=1 decoded=0 sizes= svgs= texts=0 tables=0")
    }
}
