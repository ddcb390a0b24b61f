import TinyGPT

extension StageFigure {
    /// A figure laid out on `page`, named after its stage (or `name`); `fitted` crops the page to its
    /// content (`Page.fittedDrawing`).
    init(_ stage: FigureStage, name: String? = nil, page: Page, caption: String, alt: String, items: [Primitive], fitted: Bool = false) {
        self.init(name: name ?? stage.rawValue, drawing: fitted ? page.fittedDrawing(alt: alt, items: items) : page.drawing(alt: alt, items: items),
                  caption: caption, alt: alt)
    }
}

/// Number text shared by the stage figures.
enum Num {
    /// `0.4123` → `41.2%`.
    static func percent(_ p: Double, digits: Int = 1) -> String {
        NumberFormat.short(p * 100, digits: max(1, Int(log10(max(abs(p * 100), 1))) + 1 + digits)) + "%"
    }

    /// Fixed decimals with a true minus sign: `fixed(-0.5, 3)` → `−0.500`.
    static func fixed(_ v: Double, _ decimals: Int = 2) -> String {
        let s = String(format: "%.\(decimals)f", abs(v))
        return (v < 0 && s.contains(where: { $0 != "0" && $0 != "." }) ? "−" : "") + s
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "−" : "") + out
    }
}

/// Errors for results that are not there yet.
enum Missing {
    /// An experiment file that has not been made: names the file and the command that makes it.
    static func experiment(_ file: String, model: URL, command: String) -> UserError {
        let path = ExperimentResults.directory(model: model).appendingPathComponent(file).path
        return UserError("experiment result \(path) is missing: make it with `\(command)`")
    }
}

import Foundation
