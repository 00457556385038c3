import DataPrep
import Foundation

/// Debian's chromium in headless mode, for checking that report pages load in a real browser.
enum HeadlessChromium {
    /// The browser binary, or nil (with a printed reason) when none is installed.
    static func find() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser"] {
            for dir in path.split(separator: ":") {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        print("skipping: chromium not found on PATH (install Debian's `chromium` package to run the headless-browser check)")
        return nil
    }

    /// A script appended to a copy of the page: after `load`, it writes what the browser made
    /// of the page into `<div id="probe">`: images present, images decoded (complete with a
    /// natural width), their natural sizes, the drawn size of each inline SVG chart laid out
    /// with a width and its own aspect ratio (the page may scale it to fit), how
    /// many `<text>` elements they hold with a rendered width (the browser set their type),
    /// and the number of tables.
    static let probe = """
    <script>
    window.addEventListener("load", function () {
      var images = Array.prototype.slice.call(document.images);
      var decoded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; });
      var p = document.createElement("div"); p.id = "probe";
      p.textContent = "images=" + images.length + " decoded=" + decoded.length + " sizes=" +
        decoded.map(function (i) { return i.naturalWidth + "x" + i.naturalHeight; }).join(",") +
        " svgs=" + Array.prototype.filter.call(document.querySelectorAll("figure.chart > svg"), function (s) {
          var r = s.getBoundingClientRect(); return r.width > 0 && Math.abs(r.height / r.width - s.height.baseVal.value / s.width.baseVal.value) < 0.01;
        }).map(function (s) { return s.width.baseVal.value + "x" + s.height.baseVal.value; }).join(",") +
        " texts=" + Array.prototype.filter.call(document.querySelectorAll("figure.chart text"), function (t) {
          return t.getComputedTextLength() > 0; }).length +
        " tables=" + document.querySelectorAll("table").length;
      document.body.appendChild(p);
    });
    </script>
    """

    /// Loads `html` (written to a temporary file with the probe added, the page's CSP relaxed
    /// just enough to run that one inline script) and returns the probe's text and the DOM.
    static func probe(html: String, browser: String) throws -> (probe: String?, dom: String) {
        let page = html.replacingOccurrences(of: "default-src 'none';", with: "default-src 'none'; script-src 'unsafe-inline';")
            .replacingOccurrences(of: "</body>", with: probe + "\n</body>")
        let file = NSTemporaryDirectory() + "dataprep-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).html"
        try page.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let dom = try run(browser, ["--dump-dom", URL(fileURLWithPath: file).absoluteString])
        guard let start = dom.range(of: "<div id=\"probe\">"), let end = dom[start.upperBound...].range(of: "</div>") else {
            return (nil, dom)
        }
        return (String(dom[start.upperBound..<end.lowerBound]), dom)
    }

    /// A `width` x `height` screenshot of the page at `path` as the browser drew it (the page
    /// itself, unmodified), or nil when the browser wrote none.
    static func screenshot(of path: String, browser: String, width: Int, height: Int) throws -> Image? {
        let shot = NSTemporaryDirectory() + "dataprep-shot-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).png"
        defer { try? FileManager.default.removeItem(atPath: shot) }
        _ = try run(browser, ["--hide-scrollbars", "--window-size=\(width),\(height)", "--screenshot=\(shot)",
                              URL(fileURLWithPath: path).absoluteString])
        guard FileIO.exists(shot) else { return nil }
        return try PNG.decode(contentsOf: shot)
    }

    /// Runs headless chromium with `arguments` after the common flags and returns its standard
    /// output; a browser still running after 60 s is killed rather than hang the test run.
    static func run(_ browser: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: browser)
        process.arguments = ["--headless", "--disable-gpu", "--no-sandbox", "--virtual-time-budget=5000"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = DispatchTime.now() + 60
        DispatchQueue.global().asyncAfter(deadline: deadline) { if process.isRunning { process.terminate() } }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }
}
